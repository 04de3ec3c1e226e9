#include "adapters/face.hpp"

namespace essc::adapters {

FaceOutcome SandboxFaceVerifier::verify(const FaceRequest& request) {
  if (request.image == "sandbox:error") return FaceOutcome::kServiceFailure;
  if (!request.photo_police && !request.photo_cardholder) return FaceOutcome::kNoReferencePhoto;
  if (request.image == "sandbox:liveness_fail") return FaceOutcome::kLivenessFailed;
  if (request.image == "sandbox:mismatch" || request.image.empty()) return FaceOutcome::kMismatch;
  return FaceOutcome::kMatch;
}

}  // namespace essc::adapters
