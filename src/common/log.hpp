// Structured logs: one JSON object per line on standard error, with time and level.
// Callers pass fields, never preformatted text, so every value is escaped and a log
// reader can rely on the shape. Personal data must be masked before it gets here (R-S5).
#pragma once

#include <spdlog/common.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace essc {

using LogValue = std::variant<std::string_view, std::int64_t, double>;
using LogField = std::pair<std::string_view, LogValue>;

// Installs the JSON-lines logger at `level` ("debug", "info", "warn", "error").
void configure_logging(std::string_view level);
void log_event(spdlog::level::level_enum level, std::initializer_list<LogField> fields);

}  // namespace essc
