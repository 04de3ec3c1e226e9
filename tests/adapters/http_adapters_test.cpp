// The HTTP client and the production adapters (face, SMS, bank) against a canned server
// on a loopback port: what each adapter sends (method, target, headers, JSON body), how
// each answer maps to an outcome, and that every failure (no answer before the deadline,
// a refused connection, a bad URL, a malformed or oversized reply) is the service-failure
// outcome within the deadline, never a crash or a hang.
//
// The server is plain POSIX sockets on one thread, one connection per request, so that
// the client is tested against bytes the test controls rather than against a second
// Beast implementation that might share its mistakes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>

#include "adapters/http_client.hpp"
#include "adapters/http_services.hpp"
#include "common/limits.hpp"
#include "crypto/encoding.hpp"

namespace essc::adapters {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The deadline the failure tests use, and how late past it an answer may still come on
// a loaded two-core machine.
constexpr std::int64_t kShortTimeoutMs = 300;
constexpr auto kDeadlineSlack = 500ms;

struct Received {
  std::string method;
  std::string target;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string header(const std::string& name) const {
    auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

// Accepts one connection at a time on 127.0.0.1:<ephemeral>, reads one request and
// answers with the raw bytes set by the test (or as Mode says).
class CannedServer {
 public:
  enum class Mode {
    kAnswer,         // read the request, send the canned answer
    kSilent,         // read the request, then hold the connection without a word
    kCloseAtOnce,    // close before reading anything
    kReadThenClose,  // read the request, close without answering
  };

  CannedServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("socket");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      throw std::runtime_error("bind/listen");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }

  std::string url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
  }
  int port() const { return port_; }

  void answer_raw(std::string bytes) {
    std::lock_guard lock(mutex_);
    mode_ = Mode::kAnswer;
    answer_ = std::move(bytes);
  }
  void answer(int status, const std::string& body) {
    answer_raw("HTTP/1.1 " + std::to_string(status) +
               " Canned\r\nContent-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  }
  void set_mode(Mode mode) {
    std::lock_guard lock(mutex_);
    mode_ = mode;
  }
  Received last() const {
    std::lock_guard lock(mutex_);
    return last_;
  }
  int connections() const { return connections_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd ready{listen_fd_, POLLIN, 0};
      if (::poll(&ready, 1, 20) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++connections_;
      handle(fd);
      ::close(fd);
    }
  }

  // Reads until the request is complete, the peer closes, or the bytes are not HTTP
  // at all (a TLS ClientHello); gives up after 5 s so a broken test cannot hang.
  std::string read_request(int fd) {
    std::string data;
    const auto give_up = Clock::now() + 5s;
    while (!stop_ && Clock::now() < give_up) {
      if (!data.empty() && !(data[0] >= 'A' && data[0] <= 'Z')) return data;
      const auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        const auto parsed = parse(data.substr(0, end + 4));
        const auto length = parsed.header("content-length");
        if (data.size() >= end + 4 + (length.empty() ? 0 : std::stoul(length))) return data;
      }
      pollfd ready{fd, POLLIN, 0};
      if (::poll(&ready, 1, 20) <= 0) continue;
      char chunk[16384];
      const auto got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) return data;
      data.append(chunk, static_cast<std::size_t>(got));
    }
    return data;
  }

  static Received parse(const std::string& data) {
    Received out;
    const auto end = data.find("\r\n\r\n");
    if (end == std::string::npos) return out;
    std::size_t line_start = 0;
    bool first = true;
    while (line_start < end) {
      const auto line_end = data.find("\r\n", line_start);
      const auto line = data.substr(line_start, line_end - line_start);
      line_start = line_end + 2;
      if (first) {
        first = false;
        const auto space = line.find(' ');
        out.method = line.substr(0, space);
        out.target = line.substr(space + 1, line.rfind(' ') - space - 1);
        continue;
      }
      const auto colon = line.find(':');
      auto name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      out.headers[name] = value;
    }
    out.body = data.substr(end + 4);
    return out;
  }

  void handle(int fd) {
    Mode mode;
    std::string answer;
    {
      std::lock_guard lock(mutex_);
      mode = mode_;
      answer = answer_;
    }
    if (mode == Mode::kCloseAtOnce) return;
    const auto request = read_request(fd);
    {
      std::lock_guard lock(mutex_);
      last_ = parse(request);
    }
    if (mode == Mode::kReadThenClose) return;
    if (mode == Mode::kSilent) {
      // Hold the connection, unanswered, until the client gives up and closes it.
      while (!stop_) {
        pollfd ready{fd, POLLIN, 0};
        char discard[256];
        if (::poll(&ready, 1, 20) > 0 && ::recv(fd, discard, sizeof discard, 0) <= 0) return;
      }
      return;
    }
    std::size_t sent = 0;
    while (sent < answer.size()) {
      const auto n = ::send(fd, answer.data() + sent, answer.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
    ::shutdown(fd, SHUT_WR);
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_ = false;
  std::atomic<int> connections_ = 0;
  mutable std::mutex mutex_;
  Mode mode_ = Mode::kAnswer;
  std::string answer_;
  Received last_;
};

// A loopback port that refuses connections: bound, so no one else takes it, but not
// listening, so the kernel answers a SYN with a reset.
class RefusingPort {
 public:
  RefusingPort() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~RefusingPort() { ::close(fd_); }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

// The code of a failed result, or nothing when it succeeded: an unexpected success
// fails the test rather than aborting the binary on Result's invariant.
template <class T>
std::optional<ErrorCode> failure(const Result<T>& result) {
  if (result.ok()) return std::nullopt;
  return result.error().code;
}

boost::json::object json_object(const std::string& text) {
  boost::system::error_code ec;
  auto value = boost::json::parse(text, ec);
  EXPECT_FALSE(ec) << text;
  EXPECT_TRUE(value.is_object()) << text;
  return value.is_object() ? value.as_object() : boost::json::object();
}

// Runs `call` and checks it ended within the short deadline (and not long before it).
template <class Call>
auto within_deadline(Call&& call) {
  const auto started = Clock::now();
  auto result = call();
  const auto took = Clock::now() - started;
  EXPECT_GE(took, std::chrono::milliseconds(kShortTimeoutMs) - 50ms);
  EXPECT_LT(took, std::chrono::milliseconds(kShortTimeoutMs) + kDeadlineSlack);
  return result;
}

class HttpAdaptersTest : public ::testing::Test {
 protected:
  ServiceEndpoint endpoint(const std::string& path, std::int64_t timeout_ms = 2000) const {
    return {server_.url(path), "key-1", timeout_ms};
  }
  CannedServer server_;
  RefusingPort refusing_;
};

// http_call ----------------------------------------------------------------------------

TEST_F(HttpAdaptersTest, CallSendsMethodTargetHeadersAndBodyAndReturnsAnyStatus) {
  server_.answer(500, "{\"oops\":1}");
  auto reply =
      http_call({"PUT", server_.url("/a/b?x=1&y=%20"), {{"X-Test", "yes"}}, "hello", 2000});
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_EQ(reply->status, 500);
  EXPECT_EQ(reply->body, "{\"oops\":1}");
  const auto got = server_.last();
  EXPECT_EQ(got.method, "PUT");
  EXPECT_EQ(got.target, "/a/b?x=1&y=%20");
  EXPECT_EQ(got.header("host"), "127.0.0.1:" + std::to_string(server_.port()));
  EXPECT_EQ(got.header("x-test"), "yes");
  EXPECT_EQ(got.header("connection"), "close");
  EXPECT_EQ(got.header("content-length"), "5");
  EXPECT_EQ(got.body, "hello");

  server_.answer(204, "");
  reply = http_call({"GET", server_.url(""), {}, "", 2000});
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_EQ(reply->status, 204);
  EXPECT_EQ(server_.last().method, "GET");
  EXPECT_EQ(server_.last().target, "/");
  EXPECT_EQ(server_.last().headers.count("content-length"), 0u);  // RFC 9110 §8.6

  server_.answer(200, "");
  ASSERT_TRUE(http_call({"POST", server_.url("/empty"), {}, "", 2000}).ok());
  EXPECT_EQ(server_.last().header("content-length"), "0");  // some servers answer 411 without it
}

// Finding 16: a webhook whose name resolves to this machine (or its network) only after
// it was registered is refused at delivery, before any connection is made.
TEST_F(HttpAdaptersTest, R_S2_PublicOnlyCallsNeverReachANonPublicAddress) {
  server_.answer(200, "");
  HttpCall call{"POST", server_.url("/hook"), {}, "{}", 2000};
  call.public_addresses_only = true;
  const auto refused = http_call(call);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  call.url = "http://localhost:" + std::to_string(server_.port()) + "/hook";
  EXPECT_FALSE(http_call(call).ok());
  call.public_addresses_only = false;
  EXPECT_TRUE(http_call(call).ok());

  EXPECT_EQ(classify_target("http://169.254.169.254/", 1000), TargetAddresses::kPrivate);
  EXPECT_EQ(classify_target("http://[fe80::1]/", 1000), TargetAddresses::kPrivate);
  EXPECT_EQ(classify_target("http://100.127.255.1/", 1000), TargetAddresses::kPrivate);
  EXPECT_EQ(classify_target("http://100.128.0.1/", 1000), TargetAddresses::kPublic);
  EXPECT_EQ(classify_target("https://8.8.8.8/", 1000), TargetAddresses::kPublic);
  EXPECT_EQ(classify_target("https://[2001:db8::1]/", 1000), TargetAddresses::kPublic);
  EXPECT_EQ(classify_target("ftp://x/", 1000), TargetAddresses::kMalformed);
}

TEST_F(HttpAdaptersTest, CallReadsChunkedAndCloseDelimitedBodies) {
  server_.answer_raw(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n "
      "world\r\n0\r\n\r\n");
  auto reply = http_call({"POST", server_.url("/"), {}, "", 2000});
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_EQ(reply->body, "hello world");
  server_.answer_raw("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
  reply = http_call({"POST", server_.url("/"), {}, "", 2000});
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_EQ(reply->body, "until the end");
}

TEST_F(HttpAdaptersTest, CallTakesAReplyOfTheLimitAndRefusesALargerOne) {
  server_.answer(200, std::string(limits::kExternalReplyBodyBytesMax, 'a'));
  auto reply = http_call({"POST", server_.url("/"), {}, "", 5000});
  ASSERT_TRUE(reply.ok()) << reply.error().detail;
  EXPECT_EQ(reply->body.size(), limits::kExternalReplyBodyBytesMax);
  server_.answer(200, std::string(limits::kExternalReplyBodyBytesMax + 1, 'a'));
  EXPECT_EQ(failure(http_call({"POST", server_.url("/"), {}, "", 5000})), ErrorCode::kUnavailable);
}

TEST_F(HttpAdaptersTest, CallRefusesMalformedRepliesAndEarlyCloses) {
  for (const auto* answer :
       {"garbage\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nshort!",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "HTTP/1.1 200 OK\r\n"}) {
    server_.answer_raw(answer);
    auto reply = http_call({"POST", server_.url("/"), {}, "", 2000});
    EXPECT_EQ(failure(reply), ErrorCode::kUnavailable)
        << answer << (reply.ok() ? " answered " + reply->body : "");
  }
  // A close with no answer is never an empty success, whether it comes before the
  // request is written or after.
  for (const auto mode : {CannedServer::Mode::kCloseAtOnce, CannedServer::Mode::kReadThenClose}) {
    server_.set_mode(mode);
    auto reply = http_call({"POST", server_.url("/"), {}, "x", 2000});
    EXPECT_EQ(failure(reply), ErrorCode::kUnavailable)
        << (reply.ok() ? "answered " + std::to_string(reply->status) : "");
  }
}

TEST_F(HttpAdaptersTest, CallWithNoAnswerFailsAtTheDeadline) {
  server_.set_mode(CannedServer::Mode::kSilent);
  auto reply = within_deadline([&] {
    return http_call({"POST", server_.url("/"), {}, "x", kShortTimeoutMs});
  });
  EXPECT_EQ(failure(reply), ErrorCode::kUnavailable);
}

TEST_F(HttpAdaptersTest, CallRefusedOrBadUrlIsUnavailable) {
  EXPECT_EQ(failure(http_call({"POST", refusing_.url("/"), {}, "", 2000})),
            ErrorCode::kUnavailable);
  for (const auto* url : {"", "not a url", "http://", "http:///path", "ftp://127.0.0.1/",
                          "127.0.0.1:80/", "http://127.0.0.1:99999/", "http://[::1/"}) {
    auto reply = http_call({"POST", url, {}, "", 2000});
    EXPECT_EQ(failure(reply), ErrorCode::kUnavailable) << url;
  }
  EXPECT_EQ(server_.connections(), 0);
}

TEST_F(HttpAdaptersTest, CallToAnUnknownNameFailsWithinTheDeadline) {
  // .invalid never resolves (RFC 6761); a silent name server must not stretch the call.
  const auto started = Clock::now();
  EXPECT_EQ(failure(http_call({"POST", "http://essc-test.invalid/", {}, "", kShortTimeoutMs})),
            ErrorCode::kUnavailable);
  EXPECT_LT(Clock::now() - started, std::chrono::milliseconds(kShortTimeoutMs) + kDeadlineSlack);
}

TEST_F(HttpAdaptersTest, CallRefusesHeadersAndMethodsThatWouldForgeTheRequest) {
  for (const HttpCall& call : std::initializer_list<HttpCall>{
           {"POST", server_.url("/"), {{"Authorization", "Bearer key\r\nX-Evil: 1"}}, "", 2000},
           {"POST", server_.url("/"), {{"X-Bad Name", "v"}}, "", 2000},
           {"POST", server_.url("/"), {{"", "v"}}, "", 2000},
           {"POST", server_.url("/"), {{"Content-Length", "0"}}, "", 2000},
           {"POST", server_.url("/"), {{"host", "elsewhere"}}, "", 2000},
           {"POST", server_.url("/"), {{"Transfer-Encoding", "chunked"}}, "", 2000},
           {"GET /x HTTP/1.1\r\n", server_.url("/"), {}, "", 2000},
           {"", server_.url("/"), {}, "", 2000},
       }) {
    EXPECT_EQ(failure(http_call(call)), ErrorCode::kUnavailable) << call.method;
  }
  EXPECT_EQ(server_.connections(), 0);
}

TEST_F(HttpAdaptersTest, TlsToAPlainHttpPortFailsCleanly) {
  server_.answer(200, "{}");
  const auto started = Clock::now();
  auto reply = http_call(
      {"POST", "https://127.0.0.1:" + std::to_string(server_.port()) + "/", {}, "", 3000});
  ASSERT_EQ(failure(reply), ErrorCode::kUnavailable);
  // The handshake fails on the plain answer; it does not wait for the deadline.
  EXPECT_LT(Clock::now() - started, 2000ms);
  EXPECT_NE(reply.error().detail.find("TLS"), std::string::npos) << reply.error().detail;
}

// Face verification (R-E3, R-E6) ---------------------------------------------------------

TEST_F(HttpAdaptersTest, FaceSendsThePersonTheImageAndTheSourcesOnFile) {
  server_.answer(200, R"({"result":"match"})");
  const FaceRequest request{"11010519491231002X", "张三", true, true,
                            std::string("\x00\x01\xfe\xff"
                                        "face",
                                        8)};
  HttpFaceVerifier face({server_.url("/v1/verify?tenant=ningbo"), "key-1", 2000});
  EXPECT_EQ(face.verify(request), FaceOutcome::kMatch);
  const auto got = server_.last();
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/v1/verify?tenant=ningbo");
  EXPECT_EQ(got.header("authorization"), "Bearer key-1");
  EXPECT_EQ(got.header("content-type"), "application/json");
  const auto body = json_object(got.body);
  EXPECT_EQ(body.size(), 4u);
  EXPECT_EQ(body.at("id_number"), "11010519491231002X");
  EXPECT_EQ(body.at("name"), "张三");
  EXPECT_EQ(body.at("image_base64"), "AAH+/2ZhY2U=");
  EXPECT_EQ(body.at("image_base64"), crypto::to_base64(request.image).c_str());
  EXPECT_EQ(body.at("reference_sources"), boost::json::array({"police", "cardholder"}));

  auto only = request;
  only.photo_cardholder = false;
  EXPECT_EQ(face.verify(only), FaceOutcome::kMatch);
  EXPECT_EQ(json_object(server_.last().body).at("reference_sources"),
            boost::json::array({"police"}));
  only.photo_police = false;
  only.photo_cardholder = true;
  EXPECT_EQ(face.verify(only), FaceOutcome::kMatch);
  EXPECT_EQ(json_object(server_.last().body).at("reference_sources"),
            boost::json::array({"cardholder"}));
  only.photo_cardholder = false;
  EXPECT_EQ(face.verify(only), FaceOutcome::kMatch);
  EXPECT_EQ(json_object(server_.last().body).at("reference_sources"), boost::json::array());
}

TEST_F(HttpAdaptersTest, FaceAnswersMapToOutcomes) {
  HttpFaceVerifier face(endpoint("/face"));
  const FaceRequest request{"11010519491231002X", "张三", true, false, "image"};
  const std::pair<std::string, FaceOutcome> answers[] = {
      {R"({"result":"match"})", FaceOutcome::kMatch},
      {R"({"result":"mismatch"})", FaceOutcome::kMismatch},
      {R"({"result":"liveness_failed"})", FaceOutcome::kLivenessFailed},
      {R"({"result":"no_reference_photo"})", FaceOutcome::kNoReferencePhoto},
      {R"({"result":"maybe"})", FaceOutcome::kServiceFailure},
      {R"({"result":"MATCH"})", FaceOutcome::kServiceFailure},
      {R"({"result":1})", FaceOutcome::kServiceFailure},
      {R"({"outcome":"match"})", FaceOutcome::kServiceFailure},
      {R"(["match"])", FaceOutcome::kServiceFailure},
      {R"({"result":"match")", FaceOutcome::kServiceFailure},
      {"", FaceOutcome::kServiceFailure},
  };
  for (const auto& [body, outcome] : answers) {
    server_.answer(200, body);
    EXPECT_EQ(face.verify(request), outcome) << body;
  }
  // Only 200 counts: a match carried by another status is a service failure.
  for (const int status : {201, 202, 400, 401, 404, 429, 500, 503}) {
    server_.answer(status, R"({"result":"match"})");
    EXPECT_EQ(face.verify(request), FaceOutcome::kServiceFailure) << status;
  }
}

TEST_F(HttpAdaptersTest, R_E6_FaceFailuresAreServiceFailuresWithinTheDeadline) {
  const FaceRequest request{"11010519491231002X", "张三", true, false, "image"};
  server_.set_mode(CannedServer::Mode::kSilent);
  HttpFaceVerifier silent(endpoint("/face", kShortTimeoutMs));
  EXPECT_EQ(within_deadline([&] { return silent.verify(request); }), FaceOutcome::kServiceFailure);
  EXPECT_EQ(HttpFaceVerifier({refusing_.url("/face"), "key-1", 2000}).verify(request),
            FaceOutcome::kServiceFailure);
  EXPECT_EQ(HttpFaceVerifier({"not a url", "key-1", 2000}).verify(request),
            FaceOutcome::kServiceFailure);
}

// SMS gateway (R-S3, R-L6) ---------------------------------------------------------------

TEST_F(HttpAdaptersTest, SmsSendsPhoneAndTextWithTheKey) {
  server_.answer(200, "{}");
  HttpSmsGateway sms(endpoint("/sms/send"));
  ASSERT_TRUE(sms.send("13900139000", "您的验证码是 123456").ok());
  const auto got = server_.last();
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/sms/send");
  EXPECT_EQ(got.header("authorization"), "Bearer key-1");
  EXPECT_EQ(got.header("content-type"), "application/json");
  const auto body = json_object(got.body);
  EXPECT_EQ(body.size(), 2u);
  EXPECT_EQ(body.at("phone"), "13900139000");
  EXPECT_EQ(body.at("text"), "您的验证码是 123456");
}

TEST_F(HttpAdaptersTest, SmsAnyTwoHundredIsSentAndAnythingElseUnavailable) {
  HttpSmsGateway sms(endpoint("/sms"));
  for (const int status : {200, 201, 202, 204, 299}) {
    server_.answer(status, "");
    EXPECT_TRUE(sms.send("13900139000", "code").ok()) << status;
  }
  for (const int status : {100 + 99, 301, 400, 401, 429, 500, 503}) {
    server_.answer(status, "{}");
    auto sent = sms.send("13900139000", "code");
    EXPECT_EQ(failure(sent), ErrorCode::kUnavailable) << status;
  }
}

TEST_F(HttpAdaptersTest, SmsFailuresAreUnavailableWithinTheDeadline) {
  server_.set_mode(CannedServer::Mode::kSilent);
  HttpSmsGateway silent(endpoint("/sms", kShortTimeoutMs));
  EXPECT_EQ(failure(within_deadline([&] { return silent.send("13900139000", "code"); })),
            ErrorCode::kUnavailable);
  EXPECT_EQ(
      failure(HttpSmsGateway({refusing_.url("/sms"), "key-1", 2000}).send("13900139000", "code")),
      ErrorCode::kUnavailable);
  EXPECT_EQ(
      failure(HttpSmsGateway({"http//missing-colon", "key-1", 2000}).send("13900139000", "code")),
      ErrorCode::kUnavailable);
}

// Issuing bank (R-E4, R-U5, R-U6) --------------------------------------------------------

const FourFactors kTyped{"张三", "11010519491231002X", "6222021234567890128", "13900139000"};
const FourFactors kOnFile{"李四", "110105194912310037", "6222020000000000000", "13700137000"};

TEST_F(HttpAdaptersTest, BankFourFactorSendsWhatWasTypedAndReadsMatch) {
  HttpBank bank(endpoint("/bank"));
  server_.answer(200, R"({"match":true})");
  EXPECT_EQ(bank.four_factor_check(kTyped, kOnFile).value(), true);
  const auto got = server_.last();
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/bank/four-factor");
  EXPECT_EQ(got.header("authorization"), "Bearer key-1");
  EXPECT_EQ(got.header("content-type"), "application/json");
  const auto body = json_object(got.body);
  EXPECT_EQ(body.size(), 4u);
  EXPECT_EQ(body.at("name"), "张三");
  EXPECT_EQ(body.at("id_number"), "11010519491231002X");
  EXPECT_EQ(body.at("bank_account_no"), "6222021234567890128");
  EXPECT_EQ(body.at("phone"), "13900139000");

  server_.answer(200, R"({"match":false})");
  EXPECT_EQ(bank.four_factor_check(kTyped, kOnFile).value(), false);
}

TEST_F(HttpAdaptersTest, BankFourFactorOtherAnswersAreUnavailable) {
  HttpBank bank(endpoint("/bank"));
  const std::pair<int, std::string> answers[] = {
      {200, R"({"match":"true"})"},
      {200, R"({"match":1})"},
      {200, "{}"},
      {200, "[true]"},
      {200, "{"},
      {200, ""},
      {500, R"({"match":true})"},
      {404, R"({"match":false})"},
  };
  for (const auto& [status, body] : answers) {
    server_.answer(status, body);
    auto checked = bank.four_factor_check(kTyped, kOnFile);
    EXPECT_EQ(failure(checked), ErrorCode::kUnavailable) << status << " " << body;
  }
}

TEST_F(HttpAdaptersTest, BankMovementsSendAccountAmountAndReference) {
  HttpBank bank(endpoint("/bank"));
  server_.answer(200, "{}");
  ASSERT_TRUE(bank.credit("6222021234567890128", 123456, "settlement:abc").ok());
  auto got = server_.last();
  EXPECT_EQ(got.method, "POST");
  EXPECT_EQ(got.target, "/bank/credits");
  EXPECT_EQ(got.header("authorization"), "Bearer key-1");
  auto body = json_object(got.body);
  EXPECT_EQ(body.size(), 3u);
  EXPECT_EQ(body.at("bank_account_no"), "6222021234567890128");
  ASSERT_TRUE(body.at("amount_fen").is_int64());
  EXPECT_EQ(body.at("amount_fen").as_int64(), 123456);
  EXPECT_EQ(body.at("reference"), "settlement:abc");

  // Amounts are exact integers on the wire, even beyond a double's 2^53.
  ASSERT_TRUE(bank.debit("6222021234567890128", 9'007'199'254'740'993, "contribution:1").ok());
  got = server_.last();
  EXPECT_EQ(got.target, "/bank/debits");
  body = json_object(got.body);
  EXPECT_EQ(body.at("amount_fen").as_int64(), 9'007'199'254'740'993);
  EXPECT_EQ(body.at("reference"), "contribution:1");
}

TEST_F(HttpAdaptersTest, BankMovementAnswersMapToOutcomes) {
  HttpBank bank(endpoint("/bank"));
  // 200 applied now or before, 409 applied before: either way the money moved once.
  for (const int status : {200, 409}) {
    server_.answer(status, "{}");
    EXPECT_TRUE(bank.credit("6222021234567890128", 100, "r").ok()) << status;
    EXPECT_TRUE(bank.debit("6222021234567890128", 100, "r").ok()) << status;
  }
  server_.answer(422, R"({"error":"insufficient_funds"})");
  EXPECT_EQ(failure(bank.debit("6222021234567890128", 100, "r")), ErrorCode::kInsufficientFunds);
  const std::pair<int, std::string> unavailable[] = {
      {422, R"({"error":"account_closed"})"},
      {422, "{}"},
      {422, "{"},
      {201, "{}"},
      {202, "{}"},
      {204, ""},
      {400, "{}"},
      {404, "{}"},
      {500, R"({"error":"insufficient_funds"})"},
      {503, "{}"},
  };
  for (const auto& [status, body] : unavailable) {
    server_.answer(status, body);
    auto debited = bank.debit("6222021234567890128", 100, "r");
    EXPECT_EQ(failure(debited), ErrorCode::kUnavailable) << status << " " << body;
    auto credited = bank.credit("6222021234567890128", 100, "r");
    EXPECT_EQ(failure(credited), ErrorCode::kUnavailable) << status << " " << body;
  }
  // A bank that hangs up without a word has not confirmed anything.
  server_.set_mode(CannedServer::Mode::kReadThenClose);
  EXPECT_EQ(failure(bank.debit("6222021234567890128", 100, "r")), ErrorCode::kUnavailable);
  EXPECT_EQ(failure(bank.credit("6222021234567890128", 100, "r")), ErrorCode::kUnavailable);
}

TEST_F(HttpAdaptersTest, BankFailuresAreUnavailableWithinTheDeadline) {
  server_.set_mode(CannedServer::Mode::kSilent);
  HttpBank silent(endpoint("/bank", kShortTimeoutMs));
  EXPECT_EQ(failure(within_deadline([&] { return silent.four_factor_check(kTyped, kOnFile); })),
            ErrorCode::kUnavailable);
  EXPECT_EQ(failure(within_deadline([&] { return silent.credit("6222021234567890128", 1, "r"); })),
            ErrorCode::kUnavailable);
  EXPECT_EQ(failure(within_deadline([&] { return silent.debit("6222021234567890128", 1, "r"); })),
            ErrorCode::kUnavailable);
  HttpBank refused({refusing_.url("/bank"), "key-1", 2000});
  EXPECT_EQ(failure(refused.four_factor_check(kTyped, kOnFile)), ErrorCode::kUnavailable);
  EXPECT_EQ(failure(refused.debit("6222021234567890128", 1, "r")), ErrorCode::kUnavailable);
  EXPECT_EQ(failure(HttpBank({"::bank::", "key-1", 2000}).credit("6222021234567890128", 1, "r")),
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace essc::adapters
