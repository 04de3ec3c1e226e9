// An authorised caller (R-S2): a channel app that issues e-cards (R-E2), or an
// institution that scans them (R-U3, R-U4). Both sign every request with their secret.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace essc::domain {

enum class ClientKind { kChannel, kInstitution };
enum class ChannelType { kGov, kBank, kThirdParty };
// A pharmacy settles pharmacy visits only; a hospital settles both kinds; a service hall
// checks identity and settles nothing (R-U4).
enum class InstitutionType { kPharmacy, kHospital, kServiceHall };

// The API's and the store's spellings: "channel" | "institution"; "gov" | "bank" |
// "third_party"; "pharmacy" | "hospital" | "service_hall".
std::string_view to_string(ClientKind kind);
std::optional<ClientKind> parse_client_kind(std::string_view text);
std::string_view to_string(ChannelType type);
std::optional<ChannelType> parse_channel_type(std::string_view text);
std::string_view to_string(InstitutionType type);
std::optional<InstitutionType> parse_institution_type(std::string_view text);

struct Client {
  std::string client_id;
  ClientKind kind = ClientKind::kChannel;
  std::string name;
  std::optional<ChannelType> channel_type;          // exactly for channels
  std::optional<InstitutionType> institution_type;  // exactly for institutions
  std::optional<std::string> region_code;
  std::optional<std::string> webhook_url;
  std::string secret;
  std::optional<std::string> webhook_secret;
  bool suspended = false;
  std::int64_t created_at_ms = 0;
  std::int64_t requests_per_minute = 0;  // R-S4: signed requests allowed a minute
  // Whether this channel's QR codes come with a PNG when a request does not say: apps
  // that draw the code from the token turn it off (docs/qr-token.md "Images").
  bool qr_png = true;
};

}  // namespace essc::domain
