// essc import insurance-records: the HR system's monthly feed of the insurance history
// (R-R1) from a CSV file, streamed, in one transaction: every bad row is named by its line
// and then nothing is imported; importing the same file again adds nothing.
//
// The file: a header line, then one record a line,
//   id_number,insurance,period,base_fen,employer_fen,personal_fen,employer_name,region_code
// in UTF-8; a field may be quoted ("…", with "" for a quote) when it holds a comma.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/app.hpp"
#include "cli/commands/verb.hpp"
#include "cli/progress_bar.hpp"
#include "services/insurance.hpp"

namespace essc::cli {
namespace {

constexpr std::string_view kHeader =
    "id_number,insurance,period,base_fen,employer_fen,personal_fen,employer_name,region_code";
constexpr std::size_t kFields = 8;
// The bar is redrawn every this many rows.
constexpr std::int64_t kProgressEveryRows = 65'536;

// The fields of one CSV line (RFC 4180 without line breaks inside quotes), or nullopt
// when a quote is not closed or text follows a closing quote.
std::optional<std::size_t> split_csv(std::string_view line, std::vector<std::string>& fields) {
  fields.clear();
  std::size_t i = 0;
  while (true) {
    std::string field;
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        const auto quote = line.find('"', i);
        if (quote == std::string_view::npos) return std::nullopt;
        field.append(line.substr(i, quote - i));
        i = quote + 1;
        if (i < line.size() && line[i] == '"') {
          field.push_back('"');
          ++i;
          continue;
        }
        break;
      }
      if (i < line.size() && line[i] != ',') return std::nullopt;
    } else {
      const auto comma = line.find(',', i);
      const auto end = comma == std::string_view::npos ? line.size() : comma;
      field.assign(line.substr(i, end - i));
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return fields.size();
    ++i;  // the comma
  }
}

bool to_int64(const std::string& text, std::int64_t& out) {
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end && !text.empty();
}

class CsvSource final : public services::ImportSource {
 public:
  explicit CsvSource(std::filesystem::path path)
      : path_(std::move(path)),
        size_(static_cast<std::int64_t>(std::filesystem::file_size(path_))) {
    buffer_.resize(std::size_t{1} << 20);
  }

  void rewind() override {
    in_ = std::ifstream();
    in_.rdbuf()->pubsetbuf(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    in_.open(path_, std::ios::binary);
    if (!in_) throw CommandError("cannot read " + path_.string());
    line_no_ = 0;
    bytes_ = 0;
    progress_ = std::make_unique<ProgressBar>("bytes");
    std::string header;
    if (!next_line(header) || header != kHeader) {
      throw CommandError(path_.string() + ": the first line must be " + std::string(kHeader));
    }
  }

  std::optional<services::ImportRow> next() override {
    std::string line;
    do {
      if (!next_line(line)) {
        progress_->show(size_, size_);
        return std::nullopt;
      }
    } while (line.empty());  // a blank line (the file's last) is no row
    if (line_no_ % kProgressEveryRows == 0) progress_->show(bytes_, size_);
    services::ImportRow row;
    row.line = line_no_;
    const auto count = split_csv(line, fields_);
    if (!count) {
      row.unreadable = "unbalanced quotes";
      return row;
    }
    if (*count != kFields) {
      row.unreadable = std::to_string(*count) + " fields, " + std::to_string(kFields) + " expected";
      return row;
    }
    row.id_number = std::move(fields_[0]);
    auto& in = row.input;
    in.insurance = std::move(fields_[1]);
    in.period = std::move(fields_[2]);
    const char* names[] = {"base_fen", "employer_fen", "personal_fen"};
    std::int64_t* targets[] = {&in.base_fen, &in.employer_fen, &in.personal_fen};
    for (int k = 0; k < 3; ++k) {
      if (!to_int64(fields_[3 + k], *targets[k])) {
        row.unreadable = std::string("INVALID_AMOUNT ") + names[k];
        return row;
      }
    }
    in.employer_name = std::move(fields_[6]);
    in.region_code = std::move(fields_[7]);
    return row;
  }

 private:
  bool next_line(std::string& line) {
    if (!std::getline(in_, line)) return false;
    ++line_no_;
    bytes_ += static_cast<std::int64_t>(line.size()) + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }

  std::filesystem::path path_;
  std::int64_t size_;
  std::vector<char> buffer_;
  std::ifstream in_;
  std::int64_t line_no_ = 0;
  std::int64_t bytes_ = 0;
  std::vector<std::string> fields_;
  std::unique_ptr<ProgressBar> progress_;
};

}  // namespace

Verb add_import_insurance_verb(CLI::App& cli) {
  struct Options {
    std::string data_dir;
    std::string file;
  };
  auto options = std::make_shared<Options>();
  auto* import_cmd =
      cli.add_subcommand("import", "Import feeds of the HR systems")->require_subcommand(1);
  auto* records = import_cmd->add_subcommand(
      "insurance-records",
      "Import the insurance history from a CSV file, all or nothing (docs/operations.md)");
  add_data_dir_option(*records, options->data_dir);
  records->add_option("FILE", options->file, "CSV: " + std::string(kHeader))
      ->required()
      ->check(CLI::ExistingFile);
  return {records, [options] {
            App app(DataDir{options->data_dir}, false);
            CsvSource source(options->file);
            source.rewind();  // a missing header is said before the store is touched
            const auto started = std::chrono::steady_clock::now();
            const auto report = value_or_fail(
                app.platform().insurance.import(services::Actor::command_line(), source));
            const double seconds =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
            if (!report.bad.empty()) {
              for (const auto& bad : report.bad) {
                std::cerr << options->file << ":" << bad.line << ": " << bad.reason << "\n";
              }
              std::cerr << report.bad.size() << " bad rows of " << report.rows
                        << "; nothing imported\n";
              return kExitFailure;
            }
            std::cout << "rows=" << report.rows << " added=" << report.count.added
                      << " unchanged=" << report.count.unchanged << " seconds=" << seconds
                      << " rows_per_second="
                      << static_cast<std::int64_t>(static_cast<double>(report.rows) /
                                                   std::max(seconds, 1e-9))
                      << "\n";
            return kExitSuccess;
          }};
}

}  // namespace essc::cli
