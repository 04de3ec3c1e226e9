// The server against a real loopback socket, driven by a tiny blocking HTTP client
// written with plain POSIX calls, so the test shares no code (and no bug) with Beast.
#include "http/server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "common/limits.hpp"

namespace essc::http {
namespace {

using namespace std::chrono_literals;

// Every blocking call of the client gives up after this, so a server bug fails a test
// instead of hanging it.
constexpr int kClientTimeoutSeconds = 5;

// A connected socket, closed on destruction.
class Client {
 public:
  // Connects to 127.0.0.1:port; connected() says whether it worked, error() why not.
  explicit Client(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    timeval timeout{kClientTimeoutSeconds, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      connect_error_ = errno;
    }
  }
  ~Client() { ::close(fd_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return connect_error_ == 0; }
  int connect_error() const { return connect_error_; }

  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // Reads more bytes into pending_; false on end of stream, error or timeout.
  bool fill() {
    char chunk[16 * 1024];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    pending_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }

  // True when the server closes the connection (end of stream or reset) with no more
  // bytes, within the client timeout.
  bool sees_close() {
    if (!pending_.empty()) return false;
    char byte;
    const ssize_t got = ::recv(fd_, &byte, 1, 0);
    return got == 0 || (got < 0 && errno == ECONNRESET);
  }

  std::string& pending() { return pending_; }

 private:
  int fd_;
  int connect_error_ = 0;
  std::string pending_;  // bytes received and not yet consumed
};

struct Answer {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  std::optional<std::string> header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return std::nullopt;
  }
};

std::string lower(std::string text) {
  for (char& ch : text) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return text;
}

// Reads one response (the server always frames with Content-Length). nullopt when the
// connection ends first. `head`: the answer to a HEAD request, which has no body.
std::optional<Answer> read_answer(Client& client, bool head = false) {
  std::string& in = client.pending();
  std::size_t header_end;
  while ((header_end = in.find("\r\n\r\n")) == std::string::npos) {
    if (!client.fill()) return std::nullopt;
  }
  Answer answer;
  const std::string head_text = in.substr(0, header_end);
  in.erase(0, header_end + 4);
  std::size_t line_end = head_text.find("\r\n");
  const std::string status_line = head_text.substr(0, line_end);
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) return std::nullopt;
  answer.status = std::stoi(status_line.substr(9, 3));
  std::size_t content_length = 0;
  while (line_end != std::string::npos) {
    const std::size_t start = line_end + 2;
    line_end = head_text.find("\r\n", start);
    const std::string line = head_text.substr(
        start, line_end == std::string::npos ? std::string::npos : line_end - start);
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = lower(line.substr(0, colon));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (name == "content-length") content_length = std::stoul(value);
    answer.headers.emplace_back(std::move(name), std::move(value));
  }
  if (head || answer.status < 200) return answer;
  while (in.size() < content_length) {
    if (!client.fill()) return std::nullopt;
  }
  answer.body = in.substr(0, content_length);
  in.erase(0, content_length);
  return answer;
}

std::string get(std::string_view target, std::string_view extra_headers = "") {
  return "GET " + std::string(target) + " HTTP/1.1\r\nHost: localhost\r\n" +
         std::string(extra_headers) + "\r\n";
}

std::string post(std::string_view target, std::string_view body) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + std::string(body);
}

std::string error_body(std::string_view code, std::string_view zh, std::string_view en,
                       std::string_view request_id) {
  return R"({"error":{"code":")" + std::string(code) + R"(","message":")" + std::string(zh) +
         R"(","message_en":")" + std::string(en) + R"(","hotline":"12333","request_id":")" +
         std::string(request_id) + R"("}})";
}

bool is_request_id(const std::optional<std::string>& id) {
  return id && id->size() == 16 && id->find_first_not_of("0123456789abcdef") == std::string::npos;
}

// Answers "<method> <target> <body>", echoes the x-test header back, and sleeps on
// /slow (300 ms) and throws on /throw, so each test picks its behaviour by path.
Response echo(Request& request) {
  if (request.target == "/throw")
    throw std::runtime_error("boom: a detail the client must not see");
  if (request.target == "/slow") std::this_thread::sleep_for(300ms);
  Response response;
  response.content_type = "text/plain";
  response.body = request.method + " " + request.target + " " + request.body;
  response.headers.emplace_back("X-Seen-Test", std::string(request.header("x-test").value_or("")));
  return response;
}

class ServerTest : public ::testing::Test {
 protected:
  void start(Handler handler = echo, int io_threads = 2, Placement placement = {},
             int worker_threads = 4) {
    server_ = std::make_unique<Server>(ServerOptions{.host = "127.0.0.1",
                                                     .port = 0,
                                                     .io_threads = io_threads,
                                                     .worker_threads = worker_threads},
                                       std::move(handler), std::move(placement));
    server_->start();
  }

  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, AnswersAGetWithStatusBodyHeadersAndRequestId) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/v1/hello?x=1", "X-Test: Mixed Case Value\r\n")));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "GET /v1/hello?x=1 ");
  EXPECT_EQ(answer->header("content-type"), "text/plain");
  EXPECT_EQ(answer->header("server"), "essc");
  EXPECT_EQ(answer->header("x-seen-test"), "Mixed Case Value");  // name lower-cased
  EXPECT_TRUE(is_request_id(answer->header("x-request-id")));
  EXPECT_EQ(answer->header("connection"), std::nullopt);  // HTTP/1.1 keeps alive
}

TEST_F(ServerTest, ServesTwoRequestsOnOneKeepAliveConnection) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(post("/first", "one")));
  const auto first = read_answer(client);
  ASSERT_TRUE(first);
  ASSERT_TRUE(client.send(post("/second", "two")));
  const auto second = read_answer(client);
  ASSERT_TRUE(second);
  EXPECT_EQ(first->body, "POST /first one");
  EXPECT_EQ(second->body, "POST /second two");
  EXPECT_NE(first->header("x-request-id"), second->header("x-request-id"));
}

TEST_F(ServerTest, AnswersPipelinedRequestsInOrder) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/a") + get("/b") + post("/c", "body")));
  for (const std::string_view expected : {"GET /a ", "GET /b ", "POST /c body"}) {
    const auto answer = read_answer(client);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->body, expected);
  }
}

TEST_F(ServerTest, ClosesWhenTheClientAsksTo) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/", "Connection: close\r\n")));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->header("connection"), "close");
  EXPECT_TRUE(client.sees_close());
}

TEST_F(ServerTest, AcceptsABodyOfExactlyTheLimit) {
  start([](Request& request) {
    Response response;
    response.body = std::to_string(request.body.size());
    return response;
  });
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(post("/upload", std::string(limits::kRequestBodyBytesMax, 'x'))));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, std::to_string(limits::kRequestBodyBytesMax));
}

TEST_F(ServerTest, RefusesABodyOverTheLimitWith413) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  // The whole body is sent: the server must drain it rather than reset the connection
  // under the client's feet before the 413 is read.
  ASSERT_TRUE(client.send(post("/upload", std::string(limits::kRequestBodyBytesMax + 1, 'x'))));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_EQ(answer->header("content-type"), "application/json");
  EXPECT_EQ(answer->header("connection"), "close");
  const auto request_id = answer->header("x-request-id");
  ASSERT_TRUE(is_request_id(request_id));
  EXPECT_EQ(answer->body, error_body("PAYLOAD_TOO_LARGE", "请求内容过大",
                                     "The request body is too large.", *request_id));
  EXPECT_TRUE(client.sees_close());
}

TEST_F(ServerTest, RefusesAnAnnouncedLengthOverTheLimitBeforeTheBody) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(
      client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n"));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
  EXPECT_NE(answer->body.find(R"("code":"PAYLOAD_TOO_LARGE")"), std::string::npos);
}

TEST_F(ServerTest, RefusesAChunkedBodyOverTheLimit) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  const std::size_t size = limits::kRequestBodyBytesMax + 1;
  char size_hex[32];
  std::snprintf(size_hex, sizeof size_hex, "%zx", size);
  ASSERT_TRUE(client.send("POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                          std::string(size_hex) + "\r\n" + std::string(size, 'x') +
                          "\r\n0\r\n\r\n"));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 413);
}

TEST_F(ServerTest, AnswersAMalformedHeaderWith400) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send("GET / HTTP/1.1\r\nHost: x\r\nthis line has no colon\r\n\r\n"));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  const auto request_id = answer->header("x-request-id");
  ASSERT_TRUE(is_request_id(request_id));
  EXPECT_EQ(answer->body,
            error_body("INVALID_REQUEST", "请求参数无效", "The request is invalid.", *request_id));
  EXPECT_TRUE(client.sees_close());
}

// RFC 9112 §6.1: a transfer coding in an HTTP/1.0 request is faulty framing. Decoding it
// as chunked would answer the request smuggled behind it, which an HTTP/1.0 proxy in
// front reads as the body.
TEST_F(ServerTest, RefusesTransferEncodingInHttp10AndAnswersNothingBehindIt) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(
      "POST /healthz HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
      "0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
  EXPECT_TRUE(client.sees_close()) << "nothing behind the faulty request is answered";
}

// RFC 9112 §5.2: obs-fold (a field line continued on the next) is refused, not joined.
TEST_F(ServerTest, RefusesAFoldedHeaderLine) {
  start();
  for (const char* fold : {"X-A: a\r\n b\r\n", "X-A: a\r\n\tb\r\n"}) {
    Client client(server_->port());
    ASSERT_TRUE(client.connected());
    ASSERT_TRUE(client.send(std::string("GET / HTTP/1.1\r\nHost: x\r\n") + fold + "\r\n"));
    const auto answer = read_answer(client);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 400);
    EXPECT_TRUE(client.sees_close());
  }
  // A header sent a byte at a time is checked whole.
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  for (char ch : std::string("GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"))
    ASSERT_TRUE(client.send(std::string(1, ch)));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
}

TEST_F(ServerTest, AnswersOversizedHeadersWith400) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(
      client.send(get("/", "X-Big: " + std::string(limits::kRequestHeaderBytesMax, 'a') + "\r\n")));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 400);
}

TEST_F(ServerTest, SurvivesGarbageAndKeepsServing) {
  start();
  const std::vector<std::string> garbage = {
      std::string("\x00\x01\x02\xff\xfe garbage\r\n\r\n", 17),
      "\r\n\r\n\r\n",
      "GET\r\n\r\n",
      "GET / HTTP/9.9\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
      "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
      "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET /\x01 HTTP/1.1\r\n\r\n",
      std::string(100'000, 'A'),
  };
  for (const auto& bytes : garbage) {
    Client client(server_->port());
    ASSERT_TRUE(client.connected());
    client.send(bytes);
    const auto answer = read_answer(client);
    if (answer) {
      EXPECT_EQ(answer->status, 400) << "for input of " << bytes.size() << " bytes";
    }
  }
  // A client that connects, sends half a request and leaves.
  {
    Client client(server_->port());
    ASSERT_TRUE(client.connected());
    client.send("POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part");
  }
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/still-alive")));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
}

TEST_F(ServerTest, AnswersAThrowingHandlerWith500SayingNothing) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/throw")));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 500);
  const auto request_id = answer->header("x-request-id");
  ASSERT_TRUE(is_request_id(request_id));
  EXPECT_EQ(answer->body,
            error_body("INTERNAL", "系统繁忙，请稍后再试",
                       "Something went wrong on our side; retry later.", *request_id));
  // The connection stays usable.
  ASSERT_TRUE(client.send(get("/after")));
  const auto after = read_answer(client);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->status, 200);
}

TEST_F(ServerTest, SendsContinueBeforeABodyWhenAsked) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(
      "POST /c HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = read_answer(client);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.send("hello"));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, "POST /c hello");
}

TEST_F(ServerTest, AnswersHeadWithALengthButNoBody) {
  start();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send("HEAD /h HTTP/1.1\r\nHost: x\r\n\r\n" + get("/next")));
  const auto head = read_answer(client, /*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->header("content-length"), "8");  // "HEAD /h "
  const auto next = read_answer(client);           // would be garbled had a body followed
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "GET /next ");
}

TEST_F(ServerTest, DropsHeadersThatWouldSplitTheResponse) {
  start([](Request&) {
    Response response;
    response.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: stolen=1");
    response.headers.emplace_back("X-Good", "fine");
    response.headers.emplace_back("Content-Length", "999");
    return response;
  });
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/") + get("/")));
  for (int i = 0; i < 2; ++i) {
    const auto answer = read_answer(client);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->header("x-evil"), std::nullopt);
    EXPECT_EQ(answer->header("set-cookie"), std::nullopt);
    EXPECT_EQ(answer->header("x-good"), "fine");
    EXPECT_EQ(answer->header("content-length"), "0");
  }
}

TEST_F(ServerTest, BlockingHandlersDoNotBlockTheIoThread) {
  // /block holds its worker until the fast request has been answered: with a single I/O
  // thread that can only happen if the handler does not run on it. Deterministic, unlike
  // a bound on the fast request's latency.
  std::atomic<bool> released{false};
  start(
      [&released](Request& request) {
        if (request.target == "/block") {
          const auto give_up = std::chrono::steady_clock::now() + 5s;
          while (!released && std::chrono::steady_clock::now() < give_up) {
            std::this_thread::sleep_for(1ms);
          }
        }
        return echo(request);
      },
      /*io_threads=*/1);
  Client blocked(server_->port());
  ASSERT_TRUE(blocked.connected());
  ASSERT_TRUE(blocked.send(get("/block")));
  while (server_->in_flight() == 0) std::this_thread::sleep_for(1ms);
  Client fast(server_->port());
  ASSERT_TRUE(fast.connected());
  ASSERT_TRUE(fast.send(get("/fast")));
  const auto answer = read_answer(fast);
  const bool answered_while_blocked = !released;
  released = true;
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, "GET /fast ");
  EXPECT_TRUE(answered_while_blocked);
  const auto blocked_answer = read_answer(blocked);
  ASSERT_TRUE(blocked_answer);
  EXPECT_EQ(blocked_answer->body, "GET /block ");
}

TEST_F(ServerTest, RequestsThePlacementAdmitsAreAnsweredWhileEveryWorkerIsBusy) {
  // The only worker is held by /block until /inline has been answered: that can only
  // happen if /inline ran on the I/O thread, without a hand-off to the pool.
  std::atomic<bool> released{false};
  std::atomic<std::thread::id> inline_thread{};
  std::atomic<std::thread::id> block_thread{};
  start(
      [&](Request& request) {
        if (request.target == "/inline") inline_thread = std::this_thread::get_id();
        if (request.target == "/block") {
          block_thread = std::this_thread::get_id();
          const auto give_up = std::chrono::steady_clock::now() + 5s;
          while (!released && std::chrono::steady_clock::now() < give_up)
            std::this_thread::sleep_for(1ms);
        }
        return echo(request);
      },
      /*io_threads=*/1, [](const Request& request) { return request.target == "/inline"; },
      /*worker_threads=*/1);
  Client blocked(server_->port());
  ASSERT_TRUE(blocked.connected());
  ASSERT_TRUE(blocked.send(get("/block")));
  while (server_->in_flight() == 0) std::this_thread::sleep_for(1ms);
  Client fast(server_->port());
  ASSERT_TRUE(fast.connected());
  ASSERT_TRUE(fast.send(get("/inline")));
  const auto answer = read_answer(fast);
  const bool answered_while_blocked = !released;
  released = true;
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, "GET /inline ");
  EXPECT_TRUE(answered_while_blocked);
  ASSERT_TRUE(read_answer(blocked));
  EXPECT_NE(inline_thread.load(), block_thread.load());
}

TEST_F(ServerTest, AnInlineHandlerThatThrowsIsAnswered500AndTheConnectionServesOn) {
  start(echo, /*io_threads=*/1, [](const Request&) { return true; });
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/throw") + get("/after")));
  const auto thrown = read_answer(client);
  ASSERT_TRUE(thrown);
  EXPECT_EQ(thrown->status, 500);
  EXPECT_EQ(thrown->body.find("boom"), std::string::npos);
  const auto after = read_answer(client);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->body, "GET /after ");
}

TEST_F(ServerTest, StopLetsAnInFlightRequestFinishAndThenRefusesConnections) {
  start();
  const std::uint16_t port = server_->port();
  // An idle keep-alive connection: stop() should close it rather than wait for it.
  Client idle(port);
  ASSERT_TRUE(idle.connected());
  ASSERT_TRUE(idle.send(get("/warm-up")));
  ASSERT_TRUE(read_answer(idle));
  // The warm-up stays in flight until its write completes on the server, a moment after
  // the client has read it; only then does in_flight() speak of the slow request alone.
  while (server_->in_flight() != 0) std::this_thread::sleep_for(1ms);

  Client busy(port);
  ASSERT_TRUE(busy.connected());
  ASSERT_TRUE(busy.send(get("/slow")));
  while (server_->in_flight() == 0) std::this_thread::sleep_for(1ms);

  const auto stop_began = std::chrono::steady_clock::now();
  std::thread stopper([this] { server_->stop(); });
  const auto answer = read_answer(busy);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "GET /slow ");
  EXPECT_EQ(answer->header("connection"), "close");
  EXPECT_TRUE(busy.sees_close());
  EXPECT_TRUE(idle.sees_close());
  stopper.join();
  EXPECT_LT(std::chrono::steady_clock::now() - stop_began, 2s);  // no wait for the grace period
  EXPECT_EQ(server_->in_flight(), 0u);

  Client late(port);
  EXPECT_FALSE(late.connected());
  EXPECT_EQ(late.connect_error(), ECONNREFUSED);

  server_->stop();  // a second stop is harmless
}

TEST_F(ServerTest, StopFromInsideAHandlerBeginsTheStop) {
  std::atomic<Server*> self{nullptr};
  start([&self](Request& request) {
    self.load()->stop();  // only begins the stop: joining here would wait for itself
    return echo(request);
  });
  self = server_.get();
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/last")));
  const auto answer = read_answer(client);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->body, "GET /last ");
  EXPECT_EQ(answer->header("connection"), "close");
  server_.reset();  // the destructor joins
}

TEST_F(ServerTest, RunReturnsAfterSigterm) {
  server_ = std::make_unique<Server>(ServerOptions{.host = "127.0.0.1", .port = 0}, echo);
  std::thread runner([this] { server_->run(); });
  // Answered only once run() has started its threads, and with them the signal handling.
  Client client(server_->port());
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send(get("/")));
  ASSERT_TRUE(read_answer(client));
  ::kill(::getpid(), SIGTERM);
  runner.join();
  EXPECT_TRUE(client.sees_close());
}

TEST_F(ServerTest, StopBeforeStartIsHarmless) {
  server_ = std::make_unique<Server>(ServerOptions{.host = "127.0.0.1", .port = 0}, echo);
  server_->stop();
  server_->start();  // nothing to run any more
  Client client(server_->port());
  EXPECT_FALSE(client.connected());
}

TEST(ServerBindTest, ReportsAnAddressInUse) {
  Server first(ServerOptions{.host = "127.0.0.1", .port = 0}, echo);
  try {
    Server second(ServerOptions{.host = "127.0.0.1", .port = first.port()}, echo);
    FAIL() << "the second server bound a port already in use";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(
        std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(first.port())),
        std::string::npos)
        << e.what();
  }
}

TEST(ServerBindTest, ReportsAnAddressNotOfThisMachine) {
  // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a local interface.
  EXPECT_THROW(Server(ServerOptions{.host = "192.0.2.1", .port = 0}, echo), std::runtime_error);
}

}  // namespace
}  // namespace essc::http
