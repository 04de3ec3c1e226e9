// ID-number parser (R-P1): any bytes give a value or INVALID_ID_NUMBER, never a crash;
// a parsed number keeps the invariants id_number.hpp promises.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/masking.hpp"
#include "domain/id_number.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)essc::mask_id_number(text);
  const auto parsed = essc::domain::IdNumber::parse(text);
  if (!parsed) {
    FUZZ_CHECK(parsed.error().code == essc::ErrorCode::kInvalidIdNumber);
    return 0;
  }
  const auto& id = parsed->str();
  FUZZ_CHECK(id.size() == 18);
  FUZZ_CHECK(id.back() != 'x');
  FUZZ_CHECK(parsed->birth_year() >= 1900 && parsed->birth_month() >= 1 &&
             parsed->birth_month() <= 12);
  FUZZ_CHECK(parsed->birth_day() >= 1 && parsed->birth_day() <= 31);
  const auto again = essc::domain::IdNumber::parse(id);
  FUZZ_CHECK(again && *again == *parsed);
  FUZZ_CHECK(essc::mask_id_number(id).find(id.substr(3, 11)) == std::string::npos);
  return 0;
}
