#include "http/static_site.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>
#include <utility>

namespace essc::http {
namespace {

// The pages load nothing from elsewhere and run no inline script: a script injected into
// a page through data it shows cannot run.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

constexpr std::array<std::pair<std::string_view, std::string_view>, 10> kContentTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
}};

std::optional<std::string_view> content_type(std::string_view path) {
  for (const auto& [extension, type] : kContentTypes) {
    if (path.ends_with(extension)) return type;
  }
  return std::nullopt;
}

bool is_safe_path(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  const bool allowed = std::all_of(path.begin(), path.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-' || c == '/';
  });
  return allowed && path.find("/.") == std::string_view::npos && !path.starts_with(".") &&
         path.find("//") == std::string_view::npos;
}

}  // namespace

StaticSite::StaticSite(std::optional<std::filesystem::path> web_dir)
    : web_dir_(std::move(web_dir)) {}

std::optional<std::string> StaticSite::read(std::string_view relative_path) const {
  if (!web_dir_) {
    const auto files = embedded_web_files();
    const auto it = std::find_if(files.begin(), files.end(),
                                 [&](const EmbeddedFile& f) { return f.path == relative_path; });
    if (it == files.end()) return std::nullopt;
    return std::string(it->content);
  }
  const auto file = *web_dir_ / relative_path;
  if (!std::filesystem::is_regular_file(file)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return std::nullopt;
  return std::move(text).str();
}

std::optional<Response> StaticSite::serve(const Request& request) const {
  // HEAD is answered as GET; the server sends its length without the body.
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  if (!path.starts_with('/')) return std::nullopt;
  std::string relative(path.substr(1));
  if (relative.empty() || relative.ends_with('/')) relative += "index.html";
  if (!is_safe_path(relative)) return std::nullopt;

  Response response;
  response.headers = {{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
                      {"X-Content-Type-Options", "nosniff"},
                      {"Referrer-Policy", "no-referrer"},
                      {"Cache-Control", "no-cache"}};
  const auto type = content_type(relative);
  if (!type) {
    // A folder named without its trailing slash: send the browser to its index page, so
    // the page's relative links resolve inside the folder.
    if (!read(relative + "/index.html")) return std::nullopt;
    response.status = 301;
    response.content_type = "text/plain; charset=utf-8";
    response.headers.emplace_back("Location", std::string(path) + "/");
    return response;
  }
  auto body = read(relative);
  if (!body) return std::nullopt;
  response.content_type = std::string(*type);
  response.body = std::move(*body);
  return response;
}

}  // namespace essc::http
