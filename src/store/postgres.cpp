#include "store/postgres.hpp"

#include <algorithm>
#include <charconv>
#include <utility>

#include "common/wait.hpp"
#include "crypto/encoding.hpp"

namespace essc::store {
namespace {

constexpr Oid kByteaOid = 17;
constexpr Oid kBoolOid = 16;

bool class_is(std::string_view state, std::string_view cls) { return state.substr(0, 2) == cls; }

// `result` when it is a statement's answer; else its failure, thrown.
PGresult* answered(PGconn* conn, PGresult* result) {
  const auto status = PQresultStatus(result);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    auto error = postgres_error(conn, result);
    PQclear(result);
    throw error;
  }
  return result;
}

// A statement's bound values as libpq takes them.
struct Parameters {
  std::vector<const char*> texts;
  std::vector<int> lengths;

  static Parameters of(const std::vector<std::optional<std::string>>& values) {
    Parameters out;
    out.texts.reserve(values.size());
    out.lengths.reserve(values.size());
    for (const auto& v : values) {
      out.texts.push_back(v ? v->data() : nullptr);
      out.lengths.push_back(v ? static_cast<int>(v->size()) : 0);
    }
    return out;
  }
  int count() const { return static_cast<int>(texts.size()); }
};

}  // namespace

std::string redact_url(std::string_view url) {
  // postgresql://user:secret@host/… and …?password=secret&… keep everything but the secret.
  std::string out;
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  const auto colon =
      scheme == std::string_view::npos ? std::string_view::npos : url.find(':', scheme + 3);
  if (at != std::string_view::npos && colon != std::string_view::npos && colon < at) {
    out.append(url.substr(0, colon + 1)).append("***");
    url.remove_prefix(at);
  }
  constexpr std::string_view kKey = "password=";
  for (auto pos = url.find(kKey); pos != std::string_view::npos; pos = url.find(kKey)) {
    out.append(url.substr(0, pos + kKey.size())).append("***");
    const auto end = url.find_first_of("& ", pos);
    url.remove_prefix(end == std::string_view::npos ? url.size() : end);
  }
  out.append(url);
  return out;
}

StoreError postgres_error(PGconn* conn, const PGresult* result) {
  const char* state_text = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view state = state_text ? state_text : "";
  std::string message = result ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  if (!message.empty() && message.back() == '\n') message.pop_back();
  if (!state.empty()) message = std::string(state) + " " + message;
  if (class_is(state, "23")) return StoreError(StoreError::Kind::kConstraint, message);
  if (state == "40001" || state == "40P01")
    return StoreError(StoreError::Kind::kRetryable, message);
  if (state.empty() || class_is(state, "08") || state.starts_with("57P") || state == "25006" ||
      PQstatus(conn) != CONNECTION_OK) {
    // 25006: a read-only transaction, which a standby promoted away from answers.
    return StoreError(StoreError::Kind::kUnavailable, message);
  }
  return StoreError(StoreError::Kind::kOther, message);
}

std::string numbered_placeholders(std::string_view sql, int& count) {
  std::string out;
  out.reserve(sql.size() + 16);
  count = 0;
  bool quoted = false;
  for (char ch : sql) {
    if (ch == '\'') quoted = !quoted;
    if (ch == '?' && !quoted) {
      out += '$';
      out += std::to_string(++count);
    } else {
      out += ch;
    }
  }
  return out;
}

PostgresStatement::~PostgresStatement() { PQclear(result_); }

std::optional<std::string>& PostgresStatement::slot(int index) {
  if (index < 1 || static_cast<std::size_t>(index) > values_.size()) {
    throw StoreError(StoreError::Kind::kOther,
                     "parameter " + std::to_string(index) + " out of range in " + name_);
  }
  formats_[static_cast<std::size_t>(index - 1)] = 0;
  return values_[static_cast<std::size_t>(index - 1)];
}

Statement& PostgresStatement::bind(int index, std::int64_t value) {
  slot(index) = std::to_string(value);
  return *this;
}

Statement& PostgresStatement::bind(int index, std::string_view text) {
  slot(index) = std::string(text);
  return *this;
}

Statement& PostgresStatement::bind_blob(int index, std::string_view bytes) {
  slot(index) = std::string(bytes);
  formats_[static_cast<std::size_t>(index - 1)] = 1;
  return *this;
}

Statement& PostgresStatement::bind(int index, Null) {
  slot(index).reset();
  return *this;
}

void PostgresStatement::send() {
  reset_rows();
  connection_.send_prepared(name_, values_, formats_);
  sent_ = true;
}

void PostgresStatement::run() {
  if (!connection_.defers_unread()) {
    Statement::run();
    return;
  }
  if (!reads_only_) connection_.forget_ahead();
  connection_.queue_prepared(name_, values_, formats_);
  reset();
}

void PostgresStatement::send_ahead() {
  connection_.send_ahead(this, name_, values_, formats_);
  reset();
}

bool PostgresStatement::step() {
  if (!result_) {
    try {
      if (std::exchange(sent_, false)) {
        result_ = connection_.receive();
      } else if (result_ = connection_.take_ahead(this, values_, formats_); !result_) {
        if (!reads_only_) connection_.forget_ahead();
        result_ = connection_.run_prepared(name_, values_, formats_);
      }
    } catch (...) {
      reset();
      throw;
    }
    row_ = -1;
  }
  return ++row_ < PQntuples(result_);
}

bool PostgresStatement::is_null(int column) const {
  return PQgetisnull(result_, row_, column) == 1;
}

std::int64_t PostgresStatement::int64(int column) const {
  if (is_null(column)) return 0;
  const char* value = PQgetvalue(result_, row_, column);
  if (PQftype(result_, column) == kBoolOid) return value[0] == 't' ? 1 : 0;
  std::int64_t out = 0;
  const auto length = static_cast<std::size_t>(PQgetlength(result_, row_, column));
  std::from_chars(value, value + length, out);
  return out;
}

std::string PostgresStatement::text(int column) const {
  if (is_null(column)) return {};
  return std::string(PQgetvalue(result_, row_, column),
                     static_cast<std::size_t>(PQgetlength(result_, row_, column)));
}

std::string PostgresStatement::blob(int column) const {
  auto value = text(column);
  if (PQftype(result_, column) != kByteaOid) return value;
  // bytea in text form: "\x" and two hex digits a byte.
  auto bytes =
      value.size() >= 2 ? crypto::from_hex(std::string_view(value).substr(2)) : std::nullopt;
  if (!bytes) throw StoreError(StoreError::Kind::kOther, "unreadable bytea in " + name_);
  return std::move(*bytes);
}

void PostgresStatement::reset() {
  if (std::exchange(sent_, false)) {
    try {
      PQclear(connection_.receive());  // an answer nobody read: the protocol wants it read
    } catch (const StoreError&) {
    }
  }
  reset_rows();
  for (auto& v : values_) v.reset();
  std::fill(formats_.begin(), formats_.end(), 0);
}

void PostgresStatement::reset_rows() {
  PQclear(result_);
  result_ = nullptr;
  row_ = -1;
}

PostgresConnection::PostgresConnection(const PostgresTarget& target) {
  std::vector<const char*> keys{"dbname"};
  std::vector<const char*> values{target.url.c_str()};
  if (target.password) {
    keys.push_back("password");
    values.push_back(target.password->c_str());
  }
  std::string options;
  if (target.search_path) {
    options = "-c search_path=" + *target.search_path;
    keys.push_back("options");
    values.push_back(options.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  conn_ = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = PQerrorMessage(conn_);
    PQfinish(conn_);
    conn_ = nullptr;
    if (!message.empty() && message.back() == '\n') message.pop_back();
    throw StoreError(StoreError::Kind::kUnavailable,
                     "cannot connect to " + redact_url(target.url) + ": " + message);
  }
  exec("SET client_min_messages = warning");
}

PostgresConnection::~PostgresConnection() {
  forget_ahead();
  cache_.clear();
  PQfinish(conn_);
}

PostgresStatement& PostgresConnection::prepare(const char* sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    it->second->reset();
    return *it->second;
  }
  sync_queued();
  settle_unawaited_commit(true);
  int parameters = 0;
  const auto numbered = numbered_placeholders(sql, parameters);
  std::string name("s");
  name += std::to_string(cache_.size() + 1);
  ++round_trips_;
  PGresult* prepared = PQsendPrepare(conn_, name.c_str(), numbered.c_str(), 0, nullptr) == 1
                           ? last_result()
                           : nullptr;
  if (PQresultStatus(prepared) != PGRES_COMMAND_OK) {
    auto error = postgres_error(conn_, prepared);
    PQclear(prepared);
    note_failure(error, held_begin_.has_value());
    throw StoreError(error.kind(), std::string(error.what()) + " in: " + sql);
  }
  PQclear(prepared);
  auto [it, inserted] = cache_.emplace(
      sql, std::make_unique<PostgresStatement>(*this, name, parameters,
                                               std::string_view(sql).starts_with("SELECT")));
  return *it->second;
}

void PostgresConnection::exec(std::string_view sql) {
  sync_queued();
  forget_ahead();
  settle_unawaited_commit(true);
  std::string text;
  const bool opening = held_begin_.has_value();
  if (opening) {
    // The simple protocol takes several statements in one message: one round trip.
    text = std::move(*held_begin_) + "; ";
    held_begin_.reset();
  }
  text += sql;
  ++round_trips_;
  PGresult* result = PQsendQuery(conn_, text.c_str()) == 1 ? last_result() : nullptr;
  const auto status = PQresultStatus(result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
    auto error = postgres_error(conn_, result);
    PQclear(result);
    note_failure(error, opening);
    throw error;
  }
  PQclear(result);
}

void PostgresConnection::reset_all() {
  forget_ahead();
  for (auto& [sql, statement] : cache_) statement->reset();
}

bool PostgresConnection::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

bool PostgresConnection::still_alive() {
  // libpq's socket is non-blocking: this returns at once with what has arrived.
  if (PQconsumeInput(conn_) == 0) return false;
  while (PGnotify* notice = PQnotifies(conn_)) PQfreemem(notice);
  // An unawaited COMMIT's answer may still be on its way; the next use reads it.
  return healthy() && (unawaited_commit_flights_ > 0 || PQisBusy(conn_) == 0);
}

void PostgresConnection::begin(std::string begin_sql, bool defer_unread) {
  forget_ahead();
  held_begin_ = std::move(begin_sql);
  defer_unread_ = defer_unread;
  lost_in_first_flight_ = false;
}

void PostgresConnection::commit() {
  defer_unread_ = false;
  if (std::exchange(held_begin_, std::nullopt)) return;  // nothing ran: nothing to commit
  if (queued_ == 0) {
    exec("COMMIT");
    return;
  }
  // The queued statements, a Sync, COMMIT and a Sync in one flight. A queued statement
  // that failed leaves the transaction aborted at the first Sync, and the server then
  // answers COMMIT with a rollback: nothing is written and the connection is clean.
  ++round_trips_;
  const bool sent =
      PQpipelineSync(conn_) == 1 &&
      PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
      PQpipelineSync(conn_) == 1;
  queued_ = 0;
  opening_ = false;  // a loss from here on is at COMMIT, whatever went before
  settle_unawaited_commit(false);
  forget_ahead();
  auto queued = collect(results_until_sync(false));
  auto committed = collect(results_until_sync(true));
  PQclear(queued.rows);
  PQclear(committed.rows);
  if (!sent) throw postgres_error(conn_, nullptr);
  if (queued.failure) throw *queued.failure;
  if (committed.failure) throw *committed.failure;
  if (committed.rows == nullptr) throw postgres_error(conn_, nullptr);
}

void PostgresConnection::rollback() {
  defer_unread_ = false;
  if (std::exchange(held_begin_, std::nullopt)) return;  // nothing ran: nothing to end
  try {
    sync_queued();
  } catch (const StoreError&) {
    if (!healthy()) throw;  // a failed statement is what is being rolled back
  }
  exec("ROLLBACK");
}

void PostgresConnection::commit_unawaited() {
  defer_unread_ = false;
  if (std::exchange(held_begin_, std::nullopt)) return;
  // Reads sent ahead and never read end with a Sync of their own, as in commit(): one
  // that failed leaves the transaction aborted there, and the COMMIT behind it is then
  // answered with a rollback instead of being skipped. Both flights' answers are owed,
  // after any owed already (a previous read's COMMIT, when none of this one's was read).
  forget_ahead();
  const int flights = std::exchange(queued_, 0) > 0 ? 2 : 1;
  opening_ = false;
  if (enter_pipeline() && (flights == 1 || PQpipelineSync(conn_) == 1) &&
      PQsendQueryParams(conn_, "COMMIT", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1 &&
      PQpipelineSync(conn_) == 1) {
    unawaited_commit_flights_ += flights;
    return;
  }
  // Not sent (the connection failed): read whatever went, then COMMIT the ordinary way,
  // which says what is wrong.
  for (PGresult* result : results_until_sync(true)) PQclear(result);
  exec("COMMIT");
}

PGresult* PostgresConnection::run_prepared(const std::string& name,
                                           const std::vector<std::optional<std::string>>& values,
                                           const std::vector<int>& formats) {
  const auto parameters = Parameters::of(values);
  if (held_begin_ || queued_ > 0) {
    return run_in_flight(name, parameters.count(), parameters.texts.data(),
                         parameters.lengths.data(), formats.data());
  }
  settle_unawaited_commit(true);
  ++round_trips_;
  PGresult* result =
      PQsendQueryPrepared(conn_, name.c_str(), parameters.count(), parameters.texts.data(),
                          parameters.lengths.data(), formats.data(), 0) == 1
          ? last_result()
          : nullptr;
  return answered(conn_, result);
}

void PostgresConnection::send_prepared(const std::string& name,
                                       const std::vector<std::optional<std::string>>& values,
                                       const std::vector<int>& formats) {
  sync_queued();
  settle_unawaited_commit(true);
  ++round_trips_;
  const auto parameters = Parameters::of(values);
  if (PQsendQueryPrepared(conn_, name.c_str(), parameters.count(), parameters.texts.data(),
                          parameters.lengths.data(), formats.data(), 0) != 1)
    throw postgres_error(conn_, nullptr);
}

PGresult* PostgresConnection::receive() {
  // The statement's answer is one result, then a null.
  return answered(conn_, last_result());
}

int PostgresConnection::queue_prepared(const std::string& name,
                                       const std::vector<std::optional<std::string>>& values,
                                       const std::vector<int>& formats) {
  const auto parameters = Parameters::of(values);
  // An owed COMMIT's answer is read with this flight's.
  const bool queued =
      enter_pipeline() && send_held_begin() &&
      PQsendQueryPrepared(conn_, name.c_str(), parameters.count(), parameters.texts.data(),
                          parameters.lengths.data(), formats.data(), 0) == 1;
  const int position = queued_++;
  if (!queued) sync_queued();  // says what is wrong
  return position;
}

void PostgresConnection::send_ahead(const PostgresStatement* statement, const std::string& name,
                                    const std::vector<std::optional<std::string>>& values,
                                    const std::vector<int>& formats) {
  if (!defer_unread_) return;
  drop_ahead(statement);
  const int position = queue_prepared(name, values, formats);
  ahead_.push_back(Ahead{statement, values, formats, position});
}

PGresult* PostgresConnection::take_ahead(const PostgresStatement* statement,
                                         const std::vector<std::optional<std::string>>& values,
                                         const std::vector<int>& formats) {
  const auto sent = [&] {
    return std::find_if(ahead_.begin(), ahead_.end(),
                        [&](const Ahead& a) { return a.statement == statement; });
  };
  auto it = sent();
  if (it == ahead_.end()) return nullptr;
  if (it->values != values || it->formats != formats) {
    drop_ahead(statement);
    return nullptr;
  }
  if (it->position >= 0) {
    sync_queued();
    it = sent();
  }
  PGresult* answer = std::exchange(it->answer, nullptr);
  ahead_.erase(it);
  return answer;
}

void PostgresConnection::forget_ahead() {
  for (auto& ahead : ahead_) PQclear(ahead.answer);
  ahead_.clear();
}

void PostgresConnection::drop_ahead(const PostgresStatement* statement) {
  std::erase_if(ahead_, [&](Ahead& ahead) {
    if (ahead.statement != statement) return false;
    PQclear(ahead.answer);  // one still in flight is read with it and cleared there
    return true;
  });
}

bool PostgresConnection::send_held_begin() {
  if (!held_begin_) return true;
  const std::string begin = std::move(*held_begin_);
  held_begin_.reset();
  opening_ = true;
  ++queued_;
  return PQsendQueryParams(conn_, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
}

PostgresConnection::Collected PostgresConnection::collect(const std::vector<PGresult*>& results) {
  Collected out;
  out.answered = !results.empty();
  for (PGresult* result : results) {
    if (result == nullptr) continue;  // an answer sent ahead, taken by its statement
    const auto status = PQresultStatus(result);
    if (status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK) {
      PQclear(out.rows);
      out.rows = result;
      continue;
    }
    if (!out.failure && status != PGRES_PIPELINE_ABORTED)
      out.failure = postgres_error(conn_, result);
    PQclear(result);
  }
  return out;
}

void PostgresConnection::sync_queued() {
  if (queued_ == 0) return;
  ++round_trips_;
  queued_ = 0;
  const bool sent = PQpipelineSync(conn_) == 1;
  settle_unawaited_commit(false);
  auto flight = collect(read_flight(true));
  finish_flight(sent, flight);
  PQclear(flight.rows);
}

void PostgresConnection::finish_flight(bool sent, Collected& flight) {
  // No answer at all: the server went away without a word (killed, or the network cut),
  // and the store is unavailable, not broken.
  if (!sent || !flight.answered) flight.failure = postgres_error(conn_, nullptr);
  const bool opening = std::exchange(opening_, false);
  if (flight.failure) {
    PQclear(std::exchange(flight.rows, nullptr));
    note_failure(*flight.failure, opening);
    throw *flight.failure;
  }
}

PGresult* PostgresConnection::run_in_flight(const std::string& name, int count,
                                            const char* const* values, const int* lengths,
                                            const int* formats) {
  // Behind the previous read's unawaited COMMIT, in the same pipeline: its answer comes
  // with this flight's.
  ++round_trips_;
  const bool sent =
      enter_pipeline() && send_held_begin() &&
      PQsendQueryPrepared(conn_, name.c_str(), count, values, lengths, formats, 0) == 1 &&
      PQpipelineSync(conn_) == 1;
  queued_ = 0;
  settle_unawaited_commit(false);
  auto flight = collect(read_flight(true));
  finish_flight(sent, flight);
  return flight.rows;  // the statement's: the last successful answer
}

std::vector<PGresult*> PostgresConnection::results_until_sync(bool then_exit) {
  std::vector<PGresult*> results;
  // Each query's results end with a null; two nulls in a row mean nothing more will come
  // (a lost connection).
  for (int nulls = 0; nulls < 2;) {
    PGresult* result = next_result();
    if (result == nullptr) {
      ++nulls;
      continue;
    }
    nulls = 0;
    if (PQresultStatus(result) == PGRES_PIPELINE_SYNC) {
      PQclear(result);
      break;
    }
    results.push_back(result);
  }
  if (then_exit) PQexitPipelineMode(conn_);
  return results;
}

std::vector<PGresult*> PostgresConnection::read_flight(bool then_exit) {
  auto results = results_until_sync(then_exit);
  for (auto& ahead : ahead_) {
    const auto at = static_cast<std::size_t>(ahead.position);
    if (ahead.position >= 0 && at < results.size() &&
        PQresultStatus(results[at]) == PGRES_TUPLES_OK)
      ahead.answer = std::exchange(results[at], nullptr);
    ahead.position = -1;
  }
  return results;
}

PGresult* PostgresConnection::next_result() {
  while (PQisBusy(conn_) == 1) {
    wait_readable(PQsocket(conn_));
    if (PQconsumeInput(conn_) == 0) break;  // lost: PQgetResult() says so
  }
  return PQgetResult(conn_);
}

PGresult* PostgresConnection::last_result() {
  PGresult* last = nullptr;
  while (PGresult* result = next_result()) {
    PQclear(last);
    last = result;
    if (!healthy()) break;
  }
  return last;
}

void PostgresConnection::note_failure(const StoreError& error, bool opening) {
  lost_in_first_flight_ = opening && error.kind() == StoreError::Kind::kUnavailable;
}

void PostgresConnection::settle_unawaited_commit(bool then_exit) {
  // A read-only transaction's COMMIT: its answer changes nothing, only the protocol's state.
  for (; unawaited_commit_flights_ > 0; --unawaited_commit_flights_) {
    const bool last = unawaited_commit_flights_ == 1;
    for (PGresult* result : results_until_sync(then_exit && last)) PQclear(result);
  }
}

bool PostgresConnection::enter_pipeline() {
  // Behind an unawaited COMMIT the connection is in pipeline mode already.
  return PQpipelineStatus(conn_) != PQ_PIPELINE_OFF || PQenterPipelineMode(conn_) == 1;
}

}  // namespace essc::store
