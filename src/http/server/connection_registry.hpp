// The open connections of a server, so that a stop can close the idle ones, wait for the
// rest to finish their request and, past the grace period, cut what is left.
//
// Thread safety: every method may be called from any thread. A Connection's `stream`
// and `idle` belong to its strand; other threads reach them only by posting there,
// which close_idle() and cut_all() do.
#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "http/server/wire.hpp"

namespace essc::http {

class ConnectionRegistry;

// One accepted connection; it leaves the registry when its last owner drops it.
struct Connection {
  Connection(ConnectionRegistry& registry_in, std::uint64_t id_in, wire::tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  ConnectionRegistry& registry;
  const std::uint64_t id;
  const std::string peer_address;  // the remote IP address, as accepted
  wire::beast::tcp_stream stream;
  bool idle = false;  // waiting for the first byte of a request: a stop may close it
};

class ConnectionRegistry {
 public:
  ConnectionRegistry() = default;
  ConnectionRegistry(const ConnectionRegistry&) = delete;
  ConnectionRegistry& operator=(const ConnectionRegistry&) = delete;

  // Registers an accepted connection; nullptr (and the socket closed) at
  // limits::kConnectionsMax.
  std::shared_ptr<Connection> admit(wire::tcp::socket socket);
  // Closes every connection waiting for a request to begin.
  void close_idle();
  // Whether every connection has ended by `deadline`.
  bool wait_until_empty(std::chrono::steady_clock::time_point deadline);
  // Shuts down and cancels every connection on its strand; returns how many there were.
  std::size_t cut_all();
  // Closes every socket directly. REQUIRES: no I/O thread runs any more.
  void close_all_now();

 private:
  friend struct Connection;
  void forget(std::uint64_t id);
  // The open connections. The caller drops them outside the lock: the last reference
  // ends in ~Connection, which takes it.
  std::vector<std::shared_ptr<Connection>> snapshot();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::unordered_map<std::uint64_t, std::weak_ptr<Connection>> open_;
  std::uint64_t next_id_ = 0;
};

}  // namespace essc::http
