#include "store/nonce_store.hpp"

#include "crypto/hash.hpp"
#include "crypto/random.hpp"

namespace essc::store {
namespace {

// Claims made within this long share a generation: few enough generations to purge
// cheaply, short enough that a generation's nonces expire at nearly the same time.
constexpr std::int64_t kGenerationMs = 1000;

// The floor of a division for timestamps that may be negative in tests.
std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

NonceStore::NonceStore(std::int64_t created_ms)
    : created_s_(floor_div(created_ms, 1000)),
      refuse_through_s_(created_s_ - 1),
      digest_key_(crypto::random_bytes(crypto::kShortHashKeyBytes)) {}

NonceStore::~NonceStore() = default;

std::uint64_t NonceStore::digest_of(std::string_view client_id, std::string_view nonce) const {
  std::string identity;
  identity.reserve(client_id.size() + 1 + nonce.size());
  identity.append(client_id).push_back('\0');  // no client id contains NUL: the pair is unambiguous
  identity.append(nonce);
  return crypto::short_hash(digest_key_, identity);
}

void NonceStore::open_journal(const std::filesystem::path& folder, const Clock& clock,
                              std::string boot_id) {
  const auto now = clock.now_ms();
  journal_ = std::make_unique<NonceJournal>(
      folder, clock, std::move(boot_id), [&](const JournalledNonce& entry) {
        const auto digest = digest_of(entry.client_id, entry.nonce);
        claim(shards_[digest % kShards], digest, now, entry.expires_at_ms);
      });
  // The first start on a data folder an earlier essc served knows nothing of the
  // process before it: the second of the start is refused too (a request answered in it
  // by that process is in no journal). A new data folder has nothing to refuse.
  refuse_through_s_ = journal_->found_journal() ? journal_->refuse_through_s() : created_s_;
  journal_->start();
}

void NonceStore::close_journal() {
  if (journal_) journal_->close();
}

std::optional<std::int64_t> NonceStore::claim_and_count(std::string_view client_id,
                                                        std::string_view nonce, std::int64_t now_ms,
                                                        std::int64_t expires_at_ms,
                                                        std::string_view counter_key,
                                                        std::int64_t window_ms) {
  const auto digest = digest_of(client_id, nonce);
  if (!claim(shards_[digest % kShards], digest, now_ms, expires_at_ms)) return std::nullopt;
  if (journal_) journal_->append(client_id, nonce, expires_at_ms);
  return count(counter_key, now_ms, window_ms);
}

bool NonceStore::claim(Shard& shard, std::uint64_t digest, std::int64_t now_ms,
                       std::int64_t expires_at_ms) {
  std::lock_guard lock(shard.mutex);
  auto& generations = shard.generations;
  while (!generations.empty() && generations.front().expires_by_ms <= now_ms) {
    for (const auto old : generations.front().digests) {
      // A nonce claimed again after it expired has a later expiry and a later generation.
      if (auto it = shard.expiry_ms.find(old);
          it != shard.expiry_ms.end() && it->second <= now_ms) {
        shard.expiry_ms.erase(it);
      }
    }
    generations.pop_front();
  }
  auto [it, inserted] = shard.expiry_ms.try_emplace(digest, expires_at_ms);
  if (!inserted) {
    if (it->second > now_ms) return false;
    it->second = expires_at_ms;
  }
  if (generations.empty() || now_ms - generations.back().opened_ms >= kGenerationMs) {
    generations.push_back(Generation{now_ms, expires_at_ms, {}});
  }
  auto& current = generations.back();
  current.expires_by_ms = std::max(current.expires_by_ms, expires_at_ms);
  current.digests.push_back(digest);
  return true;
}

std::int64_t NonceStore::count(std::string_view counter_key, std::int64_t now_ms,
                               std::int64_t window_ms) {
  const std::int64_t window_start = now_ms - now_ms % window_ms;
  std::lock_guard lock(counters_mutex_);
  auto& counter = counters_[std::string(counter_key)];
  if (counter.window_start_ms != window_start) counter = Counter{window_start, 0};
  return ++counter.hits;
}

std::size_t NonceStore::size() const {
  std::size_t total = 0;
  for (const auto& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.expiry_ms.size();
  }
  return total;
}

}  // namespace essc::store
