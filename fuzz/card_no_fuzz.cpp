// Card-number parser (R-C2): any bytes give a value or INVALID_CARD_NO, never a crash; a
// parsed number is one upper-case letter and eight digits and parses to itself again.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/masking.hpp"
#include "domain/card_no.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)essc::mask_card_no(text);
  const auto parsed = essc::domain::CardNo::parse(text);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().code == essc::ErrorCode::kInvalidCardNo);
    return 0;
  }
  const auto& no = parsed->str();
  FUZZ_CHECK(no.size() == 9 && no[0] >= 'A' && no[0] <= 'Z');
  for (std::size_t i = 1; i < no.size(); ++i) FUZZ_CHECK(no[i] >= '0' && no[i] <= '9');
  const auto again = essc::domain::CardNo::parse(no);
  FUZZ_CHECK(again && *again == *parsed);
  return 0;
}
