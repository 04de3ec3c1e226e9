// E-card issuance and what a cardholder does with it in a channel (R-E1…R-E8,
// R-W1…R-W4, R-L1, R-L2): issue, read, unlink, upgrade, change and reset the password,
// report the card lost and cancel the report. A binding is visible only to the channel
// that holds it; another channel gets NOT_FOUND.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/password_hasher.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/card.hpp"
#include "domain/client.hpp"
#include "domain/ecard.hpp"
#include "domain/notification.hpp"
#include "domain/person.hpp"
#include "services/notifier.hpp"
#include "services/region_policies.hpp"
#include "services/registry.hpp"
#include "store/client_repository.hpp"
#include "store/database.hpp"

namespace essc::services {

// A binding id: this prefix and the base64url of random bytes. A compact QR code
// carries the bytes alone (docs/qr-token.md "The compact form").
inline constexpr std::string_view kBindingIdPrefix = "bd_";
inline constexpr std::size_t kBindingIdRandomBytes = 18;

// What a call does with the e-card, and so which binding states it serves (R-E1, R-E8,
// R-L1…R-L4). An unlinked binding is gone for its channel: it may still read its own
// status, and nothing else. A suspended one (card lost or locked) cannot be used: no
// code, payment or upgrade, because a loss report must stop whoever holds the phone from
// spending; but the cardholder must still learn why (R-L6: the inbox tells), read what
// happened, end the suspension, protect the e-card and leave.
//
//   route (/v1/ecards/{id}…)                 use      unlinked         suspended
//   GET {id}                                 kShow    status shown     status shown
//   sessions, account, records,
//   notifications, channels                  kRead    ECARD_UNLINKED   served
//   unlink, password/change, password/reset,
//   report-loss, cancel-loss, channel revoke,
//   verifications for reset_password and
//   cancel_loss                              kManage  ECARD_UNLINKED   served
//   upgrade (and its verification), qrcodes,
//   card-face, contributions                 kUse     ECARD_UNLINKED   ECARD_SUSPENDED
enum class BindingUse { kShow, kRead, kManage, kUse };

// ECARD_UNLINKED / ECARD_SUSPENDED when `binding` may not serve `use`.
Status binding_serves(const domain::Binding& binding, BindingUse use);

struct BindingView {
  domain::Binding binding;
  domain::Card card;
  domain::Person person;
};

// The binding with its e-card's card and the card's holder, in one lookup; none when no
// such binding exists (the schema's foreign keys keep the other three from missing).
std::optional<BindingView> find_binding_view(store::Connection& c, const crypto::PiiVault& vault,
                                             std::string_view binding_id);
// Its lookup, sent ahead of it (store::Statement::send_ahead()).
void send_binding_view_ahead(store::Connection& c, std::string_view binding_id);

class EcardService {
 public:
  // The cardholder's own loss report and its cancellation go through `registry`, so the
  // card changes exactly as it does at a counter; `policies` hold the risk thresholds
  // that guard issuance elsewhere, password resets and channel revocations (R-K1).
  EcardService(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
               const crypto::PasswordHasher& hasher, const store::ClientCache& clients,
               const Notifier& notifier, RegistryService& registry, const RegionPolicies& policies)
      : clock_(clock),
        db_(db),
        vault_(vault),
        hasher_(hasher),
        clients_(clients),
        notifier_(notifier),
        registry_(registry),
        policies_(policies) {}

  // R-E7: the first issuance sets the password (R-W2 rules); a further channel must
  // present the existing one.
  Result<BindingView> issue(const domain::Client& client, std::string_view verification_id,
                            std::string_view password);
  Result<BindingView> get(const domain::Client& client, std::string_view binding_id);
  Status unlink(const domain::Client& client, std::string_view binding_id,
                std::string_view password);
  Result<BindingView> upgrade(const domain::Client& client, std::string_view binding_id,
                              std::string_view verification_id);
  Status change_password(const domain::Client& client, std::string_view binding_id,
                         std::string_view old_password, std::string_view new_password);
  Status reset_password(const domain::Client& client, std::string_view binding_id,
                        std::string_view verification_id, std::string_view new_password);
  Result<BindingView> report_loss(const domain::Client& client, std::string_view binding_id,
                                  std::string_view password);
  Result<BindingView> cancel_loss(const domain::Client& client, std::string_view binding_id,
                                  std::string_view verification_id);
  // The cardholder's inbox, newest first; `before_id` is the cursor.
  Result<std::vector<domain::Notification>> notifications(const domain::Client& client,
                                                          std::string_view binding_id,
                                                          std::int64_t before_id,
                                                          std::int64_t limit);

  // R-E9 (services/channels.cpp): every channel holding the holder's e-card, from any of
  // them; and unlinking one of them with the e-card password, which that channel learns
  // by its ecard.unlinked webhook. NOT_FOUND for a channel that holds no live binding.
  std::vector<ChannelBinding> channels(const BindingView& holder);
  Status revoke_channel(const domain::Client& client, const BindingView& holder,
                        std::string_view channel_id, std::string_view password);

  // R-W4: checks the e-card password with the shared lockout. The try is taken from
  // the counter in a write before the Argon2id check, so concurrent requests never get
  // more checks than the lockout allows. A wrong password is recorded
  // (PASSWORD_INCORRECT with tries_left, then PASSWORD_LOCKED with unlock_at).
  // Attempts enter the cardholder's authentication history (R-U7).
  Result<domain::Ecard> check_password(std::int64_t ecard_id, std::string_view password,
                                       const domain::Client& client);
  // The binding with its card and person when it belongs to `client` (NOT_FOUND
  // otherwise) and its status serves `use` (binding_serves).
  Result<BindingView> owned_binding(const domain::Client& client, std::string_view binding_id,
                                    BindingUse use);
  // The same within a read the caller holds, for checks that share its transaction.
  Result<BindingView> owned_binding(store::Connection& c, const domain::Client& client,
                                    std::string_view binding_id, BindingUse use) const;

 private:
  // R-W1, R-W2: a new password's format and strength, including against both card PINs.
  // Each comparison with the PINs tells something about them, so it is a try reserved in
  // the store first, limits::kCardPinChecksPerPersonPerDayMax a day (ATTEMPTS_EXCEEDED).
  Status check_new_password(std::string_view password, const domain::Person& person,
                            const domain::Card& card);
  // R-W4's two writes around the Argon2id check (check_password).
  Result<domain::Ecard> reserve_password_try(std::int64_t ecard_id, const domain::Client& client,
                                             std::int64_t now);
  Result<domain::Ecard> record_password_outcome(const domain::Ecard& reserved, bool right,
                                                const domain::Client& client, std::int64_t now);
  Status set_password(const domain::Client& client, const BindingView& view,
                      std::string_view new_password,
                      const std::function<Status(store::Connection&)>& precondition,
                      std::string_view action);
  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  const crypto::PasswordHasher& hasher_;
  const store::ClientCache& clients_;
  const Notifier& notifier_;
  RegistryService& registry_;
  const RegionPolicies& policies_;
};

}  // namespace essc::services
