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

// "{name...}": the rest of the path, one segment or more, joined by '/'.
bool is_rest(std::string_view segment) {
  return is_parameter(segment) && segment.ends_with("...}");
}

bool lengths_fit(const std::vector<std::string>& pattern, std::size_t path_size) {
  if (!pattern.empty() && is_rest(pattern.back())) return path_size >= pattern.size();
  return path_size == pattern.size();
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

const services::BindingView& Call::holder() const {
  ESSC_INVARIANT(session.has_value() && "holder() outside a (session) route");
  return *session;
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

void Router::add_session(std::string method, std::string pattern, services::BindingUse use,
                         RouteHandler handler, Work work) {
  add(std::move(method), std::move(pattern), Access::kSession, {}, std::move(handler), work);
  routes_.back().session_use = use;
}

std::optional<Router::Match> Router::match(std::string_view method,
                                           const std::vector<std::string>& path) const {
  for (const auto& route : routes_) {
    if (route.method != method || !lengths_fit(route.segments, path.size())) continue;
    Match m{&route, {}};
    bool matched = true;
    for (std::size_t i = 0; i < route.segments.size() && matched; ++i) {
      const auto& segment = route.segments[i];
      if (is_rest(segment)) {
        std::string rest = path[i];
        for (std::size_t j = i + 1; j < path.size(); ++j) rest.append("/").append(path[j]);
        m.params.emplace_back(segment.substr(1, segment.size() - 5), std::move(rest));
      } else if (is_parameter(segment)) {
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
