// JSON request bodies (src/http/json.hpp): every body a client sends is parsed here and
// its fields read by the handlers. Any bytes give a body or INVALID_REQUEST; every
// field read gives a value or INVALID_REQUEST naming the field; and the error answer
// rendered from that is itself valid JSON.
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "http/json.hpp"

namespace {

using essc::ErrorCode;

template <class T>
void check_read(const essc::Result<T>& read, std::string_view key) {
  if (read) return;
  FUZZ_CHECK(read.error().code == ErrorCode::kInvalidRequest);
  FUZZ_CHECK(read.error().extras.field == std::string(key));
  const auto answer = essc::http::error_response(read.error(), "req-fuzz");
  boost::system::error_code ec;
  (void)boost::json::parse(answer.body, ec);
  FUZZ_CHECK(!ec);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto body = essc::http::JsonBody::parse(text);
  if (!body) {
    FUZZ_CHECK(body.error().code == ErrorCode::kInvalidRequest);
    return 0;
  }
  std::vector<std::string> keys{"id_number", "amount_fen", "self_pay_from_bank", "photo_on_file",
                                "missing"};
  for (const auto& [key, value] : body->fields()) keys.emplace_back(key);
  for (const auto& key : keys) {
    check_read(body->string(key), key);
    check_read(body->integer(key), key);
    check_read(body->boolean(key), key);
    check_read(body->object(key), key);
    const auto optional = body->optional_string(key);
    check_read(optional, key);
    if (optional && *optional) FUZZ_CHECK(body->string(key).ok());
    if (const auto nested = body->object(key)) {
      for (const auto& [inner, value] : **nested)
        check_read(essc::http::read_bool(**nested, inner, key), key);
    }
  }
  return 0;
}
