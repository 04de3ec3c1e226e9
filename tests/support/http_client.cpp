#include "support/http_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

namespace essc::testing {
namespace {

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  timeval timeout{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  return fd;
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

std::optional<std::string> HttpAnswer::header(const std::string& lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

boost::json::value HttpAnswer::json() const {
  boost::system::error_code ec;
  auto value = boost::json::parse(body, ec);
  return ec ? boost::json::value(nullptr) : value;
}

std::string HttpAnswer::error_code() const {
  const auto value = json();
  if (!value.is_object()) return "";
  const auto* error = value.as_object().if_contains("error");
  if (!error || !error->is_object()) return "";
  const auto* code = error->as_object().if_contains("code");
  return code && code->is_string() ? std::string(code->as_string()) : "";
}

std::string send_raw(std::uint16_t port, const std::string& bytes) {
  const int fd = connect_loopback(port);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buffer[65536];
  for (;;) {
    const auto n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

HttpAnswer http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body, const Headers& headers) {
  std::string request = method + " " + target + " HTTP/1.1\r\nConnection: close\r\n";
  bool has_type = false;
  bool has_host = false;
  for (const auto& [name, value] : headers) {
    request += name + ": " + value + "\r\n";
    has_type = has_type || lower(name) == "content-type";
    has_host = has_host || lower(name) == "host";
  }
  if (!has_host) request += "Host: 127.0.0.1\r\n";
  if (!body.empty() && !has_type) request += "Content-Type: application/json\r\n";
  if (!body.empty() || method == "POST" || method == "PUT") {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  const std::string raw = send_raw(port, request);

  HttpAnswer answer;
  const auto head_end = raw.find("\r\n\r\n");
  if (head_end == std::string::npos)
    throw std::runtime_error("no HTTP answer: " + raw.substr(0, 200));
  const std::string head = raw.substr(0, head_end);
  answer.status = std::stoi(head.substr(9, 3));
  std::size_t line_start = head.find("\r\n") + 2;
  while (line_start < head.size()) {
    auto line_end = head.find("\r\n", line_start);
    if (line_end == std::string::npos) line_end = head.size();
    const auto line = head.substr(line_start, line_end - line_start);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      auto value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      answer.headers.emplace_back(lower(line.substr(0, colon)), value);
    }
    line_start = line_end + 2;
  }
  answer.body = raw.substr(head_end + 4);
  if (auto te = answer.header("transfer-encoding"); te && lower(*te) == "chunked") {
    std::string decoded;
    std::size_t at = 0;
    for (;;) {
      const auto size_end = answer.body.find("\r\n", at);
      const auto size = std::stoul(answer.body.substr(at, size_end - at), nullptr, 16);
      if (size == 0) break;
      decoded += answer.body.substr(size_end + 2, size);
      at = size_end + 2 + size + 2;
    }
    answer.body = decoded;
  }
  return answer;
}

}  // namespace essc::testing
