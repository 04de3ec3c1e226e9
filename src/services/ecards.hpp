// E-card issuance and what a cardholder does with it in a channel (R-E1…R-E8,
// R-W1…R-W4, R-L1, R-L2): issue, read, unlink, upgrade, change and reset the password,
// report the card lost and cancel the report. A binding is visible only to the channel
// that holds it; another channel gets NOT_FOUND.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "services/context.hpp"
#include "services/registry.hpp"

namespace essc::services {

struct BindingView {
  store::BindingRecord binding;
  store::CardRecord card;
  store::PersonRecord person;
};

class EcardService {
 public:
  // The cardholder's own loss report and its cancellation go through `registry`, so the
  // card changes exactly as it does at a counter.
  EcardService(Context& context, RegistryService& registry) : ctx_(context), registry_(registry) {}

  // R-E7: the first issuance sets the password (R-W2 rules); a further channel must
  // present the existing one.
  Result<BindingView> issue(const store::ClientRecord& client, std::string_view verification_id,
                            std::string_view password);
  Result<BindingView> get(const store::ClientRecord& client, std::string_view binding_id);
  Status unlink(const store::ClientRecord& client, std::string_view binding_id, std::string_view password);
  Result<BindingView> upgrade(const store::ClientRecord& client, std::string_view binding_id,
                              std::string_view verification_id);
  Status change_password(const store::ClientRecord& client, std::string_view binding_id,
                         std::string_view old_password, std::string_view new_password);
  Status reset_password(const store::ClientRecord& client, std::string_view binding_id,
                        std::string_view verification_id, std::string_view new_password);
  Result<BindingView> report_loss(const store::ClientRecord& client, std::string_view binding_id,
                                  std::string_view password);
  Result<BindingView> cancel_loss(const store::ClientRecord& client, std::string_view binding_id,
                                  std::string_view verification_id);
  // The cardholder's inbox, newest first; `before_id` is the cursor.
  Result<std::vector<store::NotificationRecord>> notifications(const store::ClientRecord& client,
                                                               std::string_view binding_id, std::int64_t before_id,
                                                               std::int64_t limit);

  // R-W4: checks the e-card password with the shared lockout. A wrong password is
  // recorded (PASSWORD_INCORRECT with tries_left, then PASSWORD_LOCKED with unlock_at).
  // Attempts enter the cardholder's authentication history (R-U7).
  Result<store::EcardRecord> check_password(std::int64_t ecard_id, std::string_view password,
                                            const store::ClientRecord& client);
  // The binding with its card and person when it belongs to `client`; NOT_FOUND otherwise.
  Result<BindingView> owned_binding(const store::ClientRecord& client, std::string_view binding_id);

 private:
  // R-W1, R-W2: a new password's format and strength, including against both card PINs.
  Status check_new_password(std::string_view password, const store::PersonRecord& person,
                            const store::CardRecord& card) const;
  Status set_password(const store::ClientRecord& client, const BindingView& view, std::string_view new_password,
                      const std::function<Status(store::Connection&)>& precondition, std::string_view action);
  Context& ctx_;
  RegistryService& registry_;
};

}  // namespace essc::services
