// A witness of transparency logs (c2sp.org/tlog-witness; R-S7): what `essc audit witness
// serve` answers, without HTTP types. For each log it accepts (an origin and the log's note
// verifier key) it holds the latest checkpoint it cosigned, and cosigns a new one only when
// a consistency proof shows the new tree extends that one (RFC 9162 §2.1.4), so a log
// cannot shrink, fork or rewrite what this witness cosigned.
//
// add-checkpoint checks in the order of the spec, each with its status:
//   400 a malformed request (old line, proof lines, note, checkpoint body), or old > size;
//   404 an origin this witness does not serve;
//   403 no signature of one of the log's keys verifies;
//   409 `old` is not the size held (body: that size, text/x.tlog.size), or the same size
//       with another root (a fork: text/plain, no size, so a client cannot mistake it);
//   422 the consistency proof does not verify (or is not empty when old is 0);
//   200 the cosignature/v1 line, after the new state is on disk.
//
// State: one file per log in the folder, `log-<hex SHA-256 of the origin>.note`, holding
// the cosigned note (body, the log's signature that verified, this witness's cosignature); written
// to a temporary file, fsynced, renamed over the old one and the folder fsynced, so a crash leaves
// the old state or the new one, never none.
//
// Thread safety: add_checkpoint() and latest() may run on any number of threads at once;
// calls for one log run one at a time (a mutex per log), which makes the check of `old`
// and the write of the new state one atomic step, as the spec requires.
// Invariants: for each log the size held never decreases, and two checkpoints cosigned
// for it are consistent with each other; a refused request changes nothing; no input
// makes a call throw, except a failed write of the state (the request is then refused by
// the caller's error handling, and nothing was cosigned).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace essc::services {

// Bounds of an add-checkpoint request.
// A consistency proof has at most 2·log2(2^64) hashes; the spec caps the lines at 63.
inline constexpr std::size_t kWitnessProofLinesMax = 63;
// A checkpoint note is three short lines and a few signatures; 64 KiB is far above any
// honest one and keeps a malicious body from costing more than a parse.
inline constexpr std::size_t kWitnessRequestBytesMax = std::size_t{64} * 1024;

// The content type of a 409 that names the size held (c2sp.org/tlog-witness).
inline constexpr char kTlogSizeContentType[] = "text/x.tlog.size";

// A log the witness accepts checkpoints of: a checkpoint signed by any of its keys. A log
// that rotates its key (R-S9) is given the new one by the witness's operator, never by the
// log, so a log (or whoever holds its store) cannot make the witness trust a key.
struct WitnessedLog {
  std::string origin;              // the checkpoint's first line
  std::vector<std::string> vkeys;  // the log's note verifier keys (type 0x01)
};

struct WitnessIdentity {
  std::string name;  // the cosigner's key name, e.g. "witness.hrss.zj.gov.cn/w1"
  std::string seed;  // 32-byte Ed25519 seed
};

// What to answer; the HTTP layer copies it into its response as is.
struct WitnessAnswer {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

// The latest checkpoint cosigned for one log.
struct WitnessedCheckpoint {
  std::uint64_t size = 0;
  std::string root;  // 32 raw bytes
  std::string note;  // body, the log's signature line, this witness's cosignature line
};

class TlogWitness {
 public:
  // POSIX seconds now: the cosignatures' timestamps.
  using SecondsClock = std::function<std::uint64_t()>;

  // Reads the state of every log from `state_dir` (which must exist). Throws
  // std::runtime_error naming the file when a log's state is unreadable or is not a
  // checkpoint of that log: a witness that forgot what it cosigned could be led into a
  // fork, so it must not start.
  // REQUIRES: every log has a vkey and each parses as a type 0x01 key, origins are distinct, the
  // identity's seed is 32 bytes and its name a valid key name.
  TlogWitness(std::filesystem::path state_dir, WitnessIdentity identity,
              std::vector<WitnessedLog> logs, SecondsClock clock);

  TlogWitness(const TlogWitness&) = delete;
  TlogWitness& operator=(const TlogWitness&) = delete;

  // POST add-checkpoint with this request body.
  WitnessAnswer add_checkpoint(std::string_view request_body);
  // GET checkpoint: the latest cosigned note of `origin` (when the witness serves one log,
  // it may be omitted): 200 text/plain, 404 for an unknown origin or none cosigned yet,
  // 400 when it is omitted and the witness serves several logs.
  WitnessAnswer latest(std::optional<std::string_view> origin) const;

  // The state held for `origin`, if it cosigned one.
  std::optional<WitnessedCheckpoint> held(std::string_view origin) const;
  // The witness's verifier key (type 0x04), what a platform lists in [audit] witnesses.
  std::string vkey() const;

 private:
  struct Log {
    WitnessedLog config;
    std::filesystem::path state_file;
    mutable std::mutex mutex;
    std::optional<WitnessedCheckpoint> held;  // guarded by mutex
  };

  WitnessAnswer add_to_log(Log& log, std::uint64_t old_size, const std::vector<std::string>& proof,
                           std::string_view body, std::string_view log_signature_line);

  std::filesystem::path state_dir_;
  WitnessIdentity identity_;
  SecondsClock clock_;
  std::map<std::string, std::unique_ptr<Log>, std::less<>> logs_;  // by origin; fixed
};

// The file name of a log's state under the state folder.
std::string witness_state_file_name(std::string_view origin);

}  // namespace essc::services
