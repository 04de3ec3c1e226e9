#include "domain/client.hpp"

#include "domain/enum_names.hpp"

namespace essc::domain {
namespace {

constexpr std::array<std::string_view, 2> kClientKinds{"channel", "institution"};
constexpr std::array<std::string_view, 3> kChannelTypes{"gov", "bank", "third_party"};
constexpr std::array<std::string_view, 3> kInstitutionTypes{"pharmacy", "hospital", "service_hall"};

}  // namespace

std::string_view to_string(ClientKind kind) { return name_in(kClientKinds, kind); }
std::optional<ClientKind> parse_client_kind(std::string_view text) {
  return parse_in<ClientKind>(kClientKinds, text);
}
std::string_view to_string(ChannelType type) { return name_in(kChannelTypes, type); }
std::optional<ChannelType> parse_channel_type(std::string_view text) {
  return parse_in<ChannelType>(kChannelTypes, text);
}
std::string_view to_string(InstitutionType type) { return name_in(kInstitutionTypes, type); }
std::optional<InstitutionType> parse_institution_type(std::string_view text) {
  return parse_in<InstitutionType>(kInstitutionTypes, text);
}

}  // namespace essc::domain
