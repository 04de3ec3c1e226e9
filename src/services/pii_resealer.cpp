#include "services/pii_resealer.hpp"

#include "common/limits.hpp"
#include "common/log.hpp"
#include "common/prometheus_text.hpp"
#include "store/pii_reseal_repository.hpp"

namespace essc::services {
namespace {

constexpr std::int64_t kRetryAfterFailureMs = 5'000;

}  // namespace

bool PiiResealer::run_once() {
  const auto rotated_at = rotated_at_ms_.load();
  if (!vault_.has_retired_keys() || rotated_at == 0) return false;
  const auto now = clock_.now_ms();
  if (now < rotated_at + limits::kPiiResealGraceMs || now < retry_at_ms_) return false;
  const auto key_id = vault_.key_id();
  if (key_id == done_key_id_) return false;  // until the key file drops the retired key
  auto batch =
      db_.write<store::ResealBatch>([&](store::Connection& c) -> Result<store::ResealBatch> {
        return store::reseal_next_batch(c, vault_, limits::kPiiResealBatchRows);
      });
  if (!batch) {
    retry_at_ms_ = now + kRetryAfterFailureMs;  // a store that refuses writes, logged once a while
    log_event(spdlog::level::warn, {{"event", "pii_reseal_batch_failed"},
                                    {"detail", std::string_view(batch.error().detail)}});
    return false;
  }
  checked_ += batch->checked;
  resealed_ += batch->resealed;
  unreadable_ += batch->unreadable;
  if (batch->unreadable > 0) {
    // Left as it is: only a key no longer held, or an altered row, gives one.
    log_event(spdlog::level::err, {{"event", "pii_reseal_unreadable"},
                                   {"table", std::string_view(batch->table)},
                                   {"count", batch->unreadable}});
  }
  if (!batch->all_done) return false;
  done_key_id_ = key_id;
  log_event(spdlog::level::info,
            {{"event", "pii_reseal_done"}, {"key_id", std::string_view(key_id)}});
  return true;
}

std::string PiiResealer::render() const {
  std::string out;
  append_metric_header(out, "essc_pii_reseal_pending",
                       "1 while a retired PII vault key is held: re-sealing is not finished.",
                       "gauge");
  out += "essc_pii_reseal_pending " + std::to_string(vault_.has_retired_keys() ? 1 : 0) + "\n";
  static constexpr char kRows[] = "essc_pii_reseal_rows_total";
  append_metric_header(out, kRows, "Rows re-sealing walked, by what it did with their values.",
                       "counter");
  out += std::string(kRows) + "{outcome=\"checked\"} " + std::to_string(checked_.load()) + "\n";
  out += std::string(kRows) + "{outcome=\"resealed\"} " + std::to_string(resealed_.load()) + "\n";
  out +=
      std::string(kRows) + "{outcome=\"unreadable\"} " + std::to_string(unreadable_.load()) + "\n";
  return out;
}

}  // namespace essc::services
