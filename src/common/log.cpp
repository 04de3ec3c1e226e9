#include "common/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace essc {
namespace {

void append_escaped(std::string& out, std::string_view text) {
  out += '"';
  for (char ch : text) {
    switch (ch) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(ch) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned char>(ch));
          out += buffer;
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

}  // namespace

void configure_logging(std::string_view level) {
  auto logger = spdlog::stderr_logger_mt("essc");
  logger->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",%v})",
                      spdlog::pattern_time_type::utc);
  logger->set_level(spdlog::level::from_str(std::string(level)));
  spdlog::set_default_logger(logger);
}

void log_event(spdlog::level::level_enum level, std::initializer_list<LogField> fields) {
  if (!spdlog::should_log(level)) return;
  std::string line;
  bool first = true;
  for (const auto& [key, value] : fields) {
    if (!first) line += ',';
    first = false;
    append_escaped(line, key);
    line += ':';
    if (const auto* text = std::get_if<std::string_view>(&value)) {
      append_escaped(line, *text);
    } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
      line += std::to_string(*integer);
    } else {
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "%.3f", std::get<double>(value));
      line += buffer;
    }
  }
  spdlog::log(level, "{}", line);
}

}  // namespace essc
