// Reading request bodies and writing answers as JSON (Boost.JSON), with the precise
// error for each bad input: a body that is not a JSON object, or a field that is
// missing or of the wrong type, is 400 INVALID_REQUEST naming the field.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "http/message.hpp"

namespace essc::http {

class JsonBody {
 public:
  // INVALID_REQUEST for an empty body, invalid JSON, nesting beyond the limit, or a
  // value that is not an object.
  static Result<JsonBody> parse(std::string_view body);

  Result<std::string> string(std::string_view key) const;
  Result<std::optional<std::string>> optional_string(std::string_view key) const;
  Result<std::int64_t> integer(std::string_view key) const;
  Result<std::optional<std::int64_t>> optional_integer(std::string_view key) const;
  Result<bool> boolean(std::string_view key) const;
  Result<std::optional<bool>> optional_boolean(std::string_view key) const;
  Result<const boost::json::object*> object(std::string_view key) const;
  const boost::json::object& fields() const { return object_; }

 private:
  explicit JsonBody(boost::json::object object) : object_(std::move(object)) {}
  boost::json::object object_;
};

// Field readers on any object (nested ones included); `path` names the field in errors.
Result<bool> read_bool(const boost::json::object& object, std::string_view key,
                       std::string_view path);

Response json_response(int status, const boost::json::value& body);
Response no_content();
// The API.md error body with the catalogue's messages.
Response error_response(const Error& error, std::string_view request_id);

}  // namespace essc::http
