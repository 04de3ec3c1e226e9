// The witness's add-checkpoint (services/witness.hpp, R-S7): any request body gets one of
// the spec's statuses, never a crash, and the size the witness holds never decreases.
//
// Input: without a NUL byte, the whole request body as sent. With one, what precedes it
// is the head of the request ("old N\n", proof lines, the empty line) and what follows
// the checkpoint body, which the fuzzer cannot sign: the harness signs it with the log's
// key, so the fuzzer reaches the size, fork and proof checks behind the signature.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "crypto/signed_note.hpp"
#include "fuzz_check.hpp"
#include "services/witness.hpp"

namespace {

constexpr char kOrigin[] = "essc.fuzz/log";

std::filesystem::path state_dir() {
  const char* base = std::getenv("ESSC_TEST_TMP");
  const auto root = base ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
  std::filesystem::create_directories(root);
  std::string pattern = (root / "witness-fuzz-XXXXXX").string();
  FUZZ_CHECK(::mkdtemp(pattern.data()) != nullptr);
  return pattern;
}

struct Fixture {
  Fixture()
      : log_seed(32, '\x01'),
        witness(state_dir(), {"witness.fuzz/w1", std::string(32, '\x02')},
                {{kOrigin,
                  {essc::crypto::note_vkey(kOrigin, essc::crypto::ed25519_public_key(log_seed))}}},
                [] { return std::uint64_t{1'795'651'200}; }) {}
  std::string log_seed;
  essc::services::TlogWitness witness;
};

bool spec_status(int status) {
  return status == 200 || status == 400 || status == 403 || status == 404 || status == 409 ||
         status == 422;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Fixture fixture;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string request(input);
  if (const auto nul = input.find('\0'); nul != std::string_view::npos) {
    request = std::string(input.substr(0, nul)) +
              essc::crypto::sign_note(input.substr(nul + 1), kOrigin, fixture.log_seed);
  }
  const auto before = fixture.witness.held(kOrigin);
  const auto answer = fixture.witness.add_checkpoint(request);
  const auto after = fixture.witness.held(kOrigin);
  FUZZ_CHECK(spec_status(answer.status));
  FUZZ_CHECK(!before || (after && after->size >= before->size));
  if (answer.status != 200) {
    FUZZ_CHECK(before.has_value() == after.has_value());
    FUZZ_CHECK(!before || before->note == after->note);
  }
  return 0;
}
