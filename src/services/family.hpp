// Family accounts (亲情账户, R-F1…R-F4): a cardholder (the holder) shows and uses the
// e-card code of a family member who does not manage their own (a child, an elderly
// parent). The code stands for the member: the member's card state, personal account
// and region policy govern, and every use is told to the member.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.hpp"
#include "crypto/pii_vault.hpp"
#include "domain/client.hpp"
#include "domain/ecard.hpp"
#include "domain/person.hpp"
#include "services/ecards.hpp"
#include "services/notifier.hpp"
#include "services/qr_codes.hpp"
#include "services/records.hpp"
#include "services/region_policies.hpp"
#include "store/client_repository.hpp"
#include "store/database.hpp"
#include "store/family_repository.hpp"

namespace essc::services {

// A membership's id: this prefix and the base64url of random bytes, which a compact QR
// code of the member carries alone (docs/qr-token.md "The compact form").
inline constexpr std::string_view kFamilyMemberIdPrefix = "fm_";
inline constexpr std::size_t kFamilyMemberIdRandomBytes = 12;

struct NewMember {
  std::string name;
  std::string id_number;
  std::string relation;
  std::optional<std::string> verification_id;  // family_consent, for a member of 16 or over
};

// One membership with the person on its other side (the member for a holder, the
// holder for a member).
struct MemberView {
  store::FamilyMemberRecord record;
  domain::Person person;
  // The membership's id as the calling channel knows it (R-E2): each channel has its own,
  // so channels cannot link a person by it; `record.member_id` never leaves the platform.
  std::string id;
};

class FamilyService {
 public:
  // `policies` hold the risk thresholds that guard adding a member (R-K1).
  FamilyService(const Clock& clock, store::Database& db, const crypto::PiiVault& vault,
                const store::ClientCache& clients, const QrCodes& codes, const Notifier& notifier,
                RecordService& records, const RegionPolicies& policies)
      : clock_(clock),
        db_(db),
        vault_(vault),
        clients_(clients),
        codes_(codes),
        notifier_(notifier),
        records_(records),
        policies_(policies) {}

  // R-F1, R-F2. `holder` is the session's binding.
  Result<MemberView> add(const domain::Client& client, const BindingView& holder,
                         const NewMember& request);
  std::vector<MemberView> members(const BindingView& holder);
  Status remove(const domain::Client& client, const BindingView& holder,
                std::string_view member_id);
  // R-F3: a code for the member under the holder's binding; the code's scan stands for the member.
  Result<QrIssued> issue_qr(const BindingView& holder, std::string_view member_id,
                            std::string_view purpose,
                            crypto::QrFormat format = crypto::QrFormat::kEssc1);
  // The member's settlements or account movements.
  Result<RecordPage> records(const BindingView& holder, std::string_view member_id,
                             const RecordQuery& query);

  // The holders who have this cardholder as a member, and withdrawing from one (R-F2).
  std::vector<MemberView> guardians(const BindingView& member);
  Status withdraw(const domain::Client& client, const BindingView& member,
                  std::string_view guardian_id);

 private:
  // Which side of a membership a channel sees it from: a holder's member_id or a
  // member's guardian_id; the two differ even within one channel.
  enum class Side { kHolder, kMember };
  std::string channel_id_of(std::string_view client_id, std::string_view member_id,
                            Side side) const;
  // The membership that `channel_id` (this channel's id of it) names, among `rows`.
  std::optional<store::FamilyMemberRecord> named(std::vector<store::FamilyMemberRecord> rows,
                                                 std::string_view client_id,
                                                 std::string_view channel_id, Side side) const;
  // The holder's member that `member_id` names (NOT_FOUND when none), in the caller's read
  // or in a read of its own.
  Result<MemberView> member_of(store::Connection& c, const BindingView& holder,
                               std::string_view member_id) const;
  Result<MemberView> member_of(const BindingView& holder, std::string_view member_id) const;
  // Deletes the membership `ours` finds in the write (NOT_FOUND when none), telling both sides.
  Status end_membership(
      const domain::Client& client, std::string_view action,
      const std::function<std::optional<store::FamilyMemberRecord>(store::Connection&)>& ours);
  Result<domain::Person> member_person(store::Connection& c, const BindingView& holder,
                                       const NewMember& r) const;

  const Clock& clock_;
  store::Database& db_;
  const crypto::PiiVault& vault_;
  const store::ClientCache& clients_;
  const QrCodes& codes_;
  const Notifier& notifier_;
  RecordService& records_;
  const RegionPolicies& policies_;
};

// R-F2: whole years of age on the China Standard Time day of `now_ms`, from the birth
// date inside the ID number.
int age_on(std::string_view id_number, std::int64_t now_ms);

// R-F3, R-F4: inside QrCodes::consume, for a code issued under membership `m`
// (read in the same transaction): the member's view of the scan (the member's card must
// be active, the holder's binding usable), recorded in the member's authentication
// history and inbox.
Result<BindingView> family_scan(store::Connection& c, const crypto::PiiVault& vault,
                                const store::ClientCache& clients,
                                const domain::Binding& holder_binding,
                                const store::FamilyMemberRecord& m, std::string_view used_by,
                                std::int64_t now_ms);

}  // namespace essc::services
