#include "bench/references.hpp"

#include <sodium.h>
#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <string>

namespace essc::bench {
namespace {

using Clock = std::chrono::steady_clock;
// A QR token's signed part is about this long (docs/qr-token.md).
constexpr std::size_t kQrPayloadBytes = 180;
constexpr std::size_t kHashBytes = 32;
constexpr std::size_t kCommitRowBytes = 64;

// Runs `once` until `seconds` have passed, timing each call.
template <class F>
Measurement timed(std::string name, double seconds, F&& once) {
  LoadResult result;
  const auto start = Clock::now();
  const auto end =
      start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (auto now = start; now < end;) {
    once();
    const auto after = Clock::now();
    result.latencies_ms.push_back(std::chrono::duration<double, std::milli>(after - now).count());
    ++result.completed;
    now = after;
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return summarize(std::move(name), result);
}

void exec(sqlite3* db, const char* sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
    std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw std::runtime_error(std::string("sqlite: ") + sql + ": " + text);
  }
}

}  // namespace

Measurement sqlite_commits(const std::filesystem::path& dir, double seconds) {
  const auto file = dir / "reference-commits.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  sqlite3* db = nullptr;
  if (sqlite3_open(file.c_str(), &db) != SQLITE_OK)
    throw std::runtime_error("cannot open " + file.string());
  exec(db, "PRAGMA journal_mode=WAL");
  exec(db, "PRAGMA synchronous=FULL");
  exec(db, "CREATE TABLE rows (row_id INTEGER PRIMARY KEY, payload BLOB NOT NULL)");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO rows (payload) VALUES (?)", -1, &insert, nullptr);
  const std::string payload(kCommitRowBytes, 'x');
  auto m = timed("sqlite_commit", seconds, [&] {
    sqlite3_bind_blob(insert, 1, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) throw std::runtime_error("sqlite insert failed");
    sqlite3_reset(insert);
  });
  sqlite3_finalize(insert);
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(file.string() + suffix);
  return m;
}

Measurement argon2_hashes(double seconds, std::uint64_t ops_limit, std::uint64_t memory_kib) {
  const std::string input(64, 'a');
  unsigned char salt[crypto_pwhash_SALTBYTES];
  randombytes_buf(salt, sizeof salt);
  unsigned char out[kHashBytes];
  return timed("argon2_hash", seconds, [&] {
    if (crypto_pwhash(out, sizeof out, input.data(), input.size(), salt, ops_limit,
                      memory_kib * 1024, crypto_pwhash_ALG_ARGON2ID13) != 0) {
      throw std::runtime_error("argon2id: out of memory");
    }
  });
}

Measurement ed25519_signatures(double seconds) {
  unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
  unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(public_key, secret_key);
  const std::string message(kQrPayloadBytes, 'q');
  unsigned char signature[crypto_sign_BYTES];
  auto m = timed("ed25519_sign", seconds, [&] {
    crypto_sign_detached(signature, nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                         message.size(), secret_key);
  });
  sodium_memzero(secret_key, sizeof secret_key);
  return m;
}

}  // namespace essc::bench
