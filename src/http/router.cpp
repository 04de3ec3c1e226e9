#include "http/router.hpp"

namespace essc::http {
namespace {

std::vector<std::string> split_pattern(std::string_view pattern) {
  std::vector<std::string> segments;
  std::size_t start = 1;  // skip the leading '/'
  while (start <= pattern.size()) {
    const auto end = pattern.find('/', start);
    const auto stop = end == std::string_view::npos ? pattern.size() : end;
    segments.emplace_back(pattern.substr(start, stop - start));
    start = stop + 1;
  }
  return segments;
}

bool is_parameter(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

const std::string& Call::param(std::string_view name) const {
  for (const auto& [key, value] : params) {
    if (key == name) return value;
  }
  ESSC_INVARIANT(false && "handler asked for a parameter its route does not have");
  static const std::string empty;
  return empty;
}

std::optional<std::string> Call::query_value(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

void Router::add(std::string method, std::string pattern, Access access,
                 std::vector<domain::OperatorRole> roles, RouteHandler handler, Work work) {
  auto segments = split_pattern(pattern);
  routes_.push_back({std::move(method), std::move(pattern), access, std::move(roles),
                     std::move(handler), std::move(segments), work});
}

std::optional<Router::Match> Router::match(std::string_view method,
                                           const std::vector<std::string>& path) const {
  for (const auto& route : routes_) {
    if (route.method != method || route.segments.size() != path.size()) continue;
    Match m{&route, {}};
    bool matched = true;
    for (std::size_t i = 0; i < path.size() && matched; ++i) {
      const auto& segment = route.segments[i];
      if (is_parameter(segment)) {
        matched = !path[i].empty();
        m.params.emplace_back(segment.substr(1, segment.size() - 2), path[i]);
      } else {
        matched = segment == path[i];
      }
    }
    if (matched) return m;
  }
  return std::nullopt;
}

}  // namespace essc::http
