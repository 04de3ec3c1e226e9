// Where my e-card is (R-E9): the cardholder sees, from any channel, every channel that
// holds the e-card, and unlinks any of them with the e-card password. A channel learns
// the others' names and types, never their binding ids (R-E2).
#include "common/clock.hpp"
#include "domain/client.hpp"
#include "domain/ecard.hpp"
#include "services/ecards.hpp"
#include "services/notifier.hpp"
#include "services/risk_control.hpp"
#include "store/audit_log.hpp"
#include "store/ecard_repository.hpp"

namespace essc::services {

std::vector<ChannelBinding> EcardService::channels(const BindingView& holder) {
  return db_.read([&](store::Connection& c) {
    return channel_bindings(c, clients_, holder.binding.ecard_id, holder.person.person_id);
  });
}

Status EcardService::revoke_channel(const domain::Client& client, const BindingView& holder,
                                    std::string_view channel_id, std::string_view password) {
  const auto target_of = [&](store::Connection& c) -> std::optional<domain::Binding> {
    for (auto& binding : store::live_bindings(c, holder.binding.ecard_id)) {
      if (binding.client_id == channel_id) return std::move(binding);
    }
    return std::nullopt;
  };
  if (!db_.read(target_of)) return Error(ErrorCode::kNotFound, "no live binding in that channel");
  ESSC_TRY(check_password(holder.binding.ecard_id, password, client));
  const auto now = clock_.now_ms();
  const auto thresholds = risk_thresholds(policies_, holder.person.region_code);
  RiskGate risk(db_, notifier_);
  auto done = risk.settle(db_.write<bool>([&](store::Connection& c) -> Result<bool> {
    auto target = target_of(c);
    if (!target) return Error(ErrorCode::kNotFound, "unlinked meanwhile");
    // R-K2: soon after a changed credential, whoever changed it could lock the
    // cardholder out of their channels.
    ESSC_TRY(
        risk.check(c,
                   RiskQuestion::on_account(holder.person.person_id, holder.binding.ecard_id,
                                            client.client_id, domain::kActionChannelRevoke, now),
                   thresholds));
    target->status = domain::BindingStatus::kUnlinked;
    target->updated_at_ms = now;
    store::update_binding(c, *target);
    // The revoked channel gets its own binding id in its webhook; the inbox names it.
    notifier_.announce(c, holder.person, EcardEvent::kUnlinked, {*target}, now);
    store::append_audit(c, now, client_audit_name(client.client_id), "ecard.revoke_channel",
                        target->binding_id, "ok");
    return true;
  }));
  if (!done) return std::move(done).error();
  return {};
}

}  // namespace essc::services
