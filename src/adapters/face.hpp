// Face verification with liveness (R-E3, R-E6): compares a live image with the person's
// reference photo in the police or cardholder database.
//
// Thread safety: implementations are safe to call from any thread.
#pragma once

#include <string>
#include <string_view>

namespace essc::adapters {

enum class FaceOutcome {
  kMatch,
  kMismatch,
  kLivenessFailed,
  kNoReferencePhoto,  // neither database holds a photo of the person
  kServiceFailure,    // timeout, bad answer, outage: the caller offers SMS instead
};

struct FaceRequest {
  std::string id_number;
  std::string name;
  bool photo_police = false;
  bool photo_cardholder = false;
  std::string image;  // raw bytes, already decoded from base64
};

class FaceVerifier {
 public:
  virtual ~FaceVerifier() = default;
  virtual FaceOutcome verify(const FaceRequest& request) = 0;
};

// Decides from the image bytes (API.md "Sandbox"): "sandbox:liveness_fail",
// "sandbox:mismatch" and "sandbox:error" give those outcomes; a person with no reference
// photo gets kNoReferencePhoto; any other non-empty image matches.
class SandboxFaceVerifier final : public FaceVerifier {
 public:
  FaceOutcome verify(const FaceRequest& request) override;
};

// A server with no face service configured: every try is a service failure, so the
// applicant is offered the SMS path (R-E6) rather than refused.
class UnconfiguredFaceVerifier final : public FaceVerifier {
 public:
  FaceOutcome verify(const FaceRequest&) override { return FaceOutcome::kServiceFailure; }
};

}  // namespace essc::adapters
