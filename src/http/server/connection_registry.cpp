#include "http/server/connection_registry.hpp"

#include <boost/asio/post.hpp>
#include <string>

#include "common/limits.hpp"

namespace essc::http {
namespace {

// The remote IP address of an accepted socket; empty if it is already gone.
std::string address_of(const wire::tcp::socket& socket) {
  wire::beast::error_code error;
  const auto endpoint = socket.remote_endpoint(error);
  return error ? std::string() : endpoint.address().to_string();
}

}  // namespace

Connection::Connection(ConnectionRegistry& registry_in, std::uint64_t id_in,
                       wire::tcp::socket socket)
    : registry(registry_in),
      id(id_in),
      peer_address(address_of(socket)),
      stream(std::move(socket)) {}

Connection::~Connection() { registry.forget(id); }

std::shared_ptr<Connection> ConnectionRegistry::admit(wire::tcp::socket socket) {
  std::lock_guard lock(mutex_);
  if (open_.size() >= limits::kConnectionsMax) return nullptr;
  const std::uint64_t id = next_id_++;
  auto connection = std::make_shared<Connection>(*this, id, std::move(socket));
  open_.emplace(id, connection);
  return connection;
}

void ConnectionRegistry::forget(std::uint64_t id) {
  {
    std::lock_guard lock(mutex_);
    open_.erase(id);
  }
  changed_.notify_all();
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::snapshot() {
  std::vector<std::shared_ptr<Connection>> open;
  std::lock_guard lock(mutex_);
  open.reserve(open_.size());
  for (const auto& [id, weak] : open_) {
    if (auto connection = weak.lock()) open.push_back(std::move(connection));
  }
  return open;
}

void ConnectionRegistry::close_idle() {
  for (auto& connection : snapshot()) {
    auto executor = connection->stream.get_executor();
    wire::asio::post(executor, [connection = std::move(connection)] {
      if (connection->idle) connection->stream.cancel();
    });
  }
}

bool ConnectionRegistry::wait_until_empty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return changed_.wait_until(lock, deadline, [this] { return open_.empty(); });
}

std::size_t ConnectionRegistry::cut_all() {
  auto open = snapshot();
  const std::size_t count = open.size();
  for (auto& connection : open) {
    auto executor = connection->stream.get_executor();
    wire::asio::post(executor, [connection = std::move(connection)] {
      wire::beast::error_code ignored;
      connection->stream.socket().shutdown(wire::tcp::socket::shutdown_both, ignored);
      connection->stream.cancel();
    });
  }
  return count;
}

void ConnectionRegistry::close_all_now() {
  wire::beast::error_code ignored;
  for (auto& connection : snapshot()) connection->stream.socket().close(ignored);
}

}  // namespace essc::http
