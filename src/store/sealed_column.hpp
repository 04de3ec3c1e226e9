// A personal field's column (R-S5): the value sealed under the vault, or NULL when
// there is none.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/pii_vault.hpp"
#include "store/sql.hpp"

namespace essc::store {

inline Statement& bind_sealed(Statement& s, int index, const crypto::PiiVault& vault,
                              std::string_view field, const std::optional<std::string>& value) {
  return value ? s.bind_blob(index, vault.seal(field, *value)) : s.bind(index, Null{});
}

}  // namespace essc::store
