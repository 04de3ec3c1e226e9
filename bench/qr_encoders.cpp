// essc-qr-bench: microseconds a QR symbol, the platform's encoder (services/qr_encoder)
// beside qrcodegen (what drew the codes before, and still the reference its tests compare
// with), on the payloads the platform draws: a compact code, an ESSC1 code, and the
// 127-byte payload of issue 23's figures. Each encoder runs in turn, in short batches,
// several rounds, so a neighbour's burst on the shared machine hits all of them alike;
// the median batch is printed, and the fastest beside it.
//   essc-qr-bench [--seconds S]     one line per payload and encoder, then a table
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <qrcodegen/qrcodegen.hpp>
#include <string>
#include <vector>

#include "crypto/keys.hpp"
#include "crypto/qr_token.hpp"
#include "crypto/random.hpp"
#include "services/qr_encoder.hpp"
#include "services/qr_image.hpp"

namespace {

using essc::services::encode_qr;
using essc::services::QrEcc;
using Clock = std::chrono::steady_clock;

constexpr int kRounds = 7;

struct Encoder {
  const char* name;
  std::function<int(const std::string&)> run;  // returns something of the symbol, kept
};

struct Payload {
  const char* name;
  std::string text;
};

std::vector<Payload> payloads() {
  const auto keys = essc::crypto::KeySet::generate(1'795'651'200'000);
  essc::crypto::QrSigner signer(keys.qr_signing_keys);
  // A holder's code as the platform issues it: references of 18 (compact) and 27 bytes.
  const essc::crypto::QrClaims compact{"",
                                       essc::crypto::random_token(12),
                                       "",
                                       "payment",
                                       1'795'651'200,
                                       1'795'651'260,
                                       essc::crypto::random_bytes(18)};
  const essc::crypto::QrClaims essc1{"",
                                     essc::crypto::random_token(16),
                                     essc::crypto::random_token(16),
                                     "payment",
                                     1'795'651'200,
                                     1'795'651'260,
                                     essc::crypto::random_bytes(27)};
  std::string bytes127 = essc::crypto::random_token(96).substr(0, 127);
  return {{"compact", signer.sign(compact, essc::crypto::QrFormat::kCompact)},
          {"essc1", signer.sign(essc1)},
          {"bytes127", bytes127}};
}

qrcodegen::QrCode reference(const std::string& text, int mask) {
  return qrcodegen::QrCode::encodeSegments(qrcodegen::QrSegment::makeSegments(text.c_str()),
                                           qrcodegen::QrCode::Ecc::MEDIUM, 1, 40, mask, false);
}

std::vector<Encoder> encoders() {
  return {
      {"essc_auto_mask", [](const std::string& t) { return encode_qr(t)->mask(); }},
      {"essc_mask0", [](const std::string& t) { return encode_qr(t, QrEcc::kMedium, 0)->size(); }},
      {"qrcodegen_auto_mask", [](const std::string& t) { return reference(t, -1).getMask(); }},
      {"qrcodegen_mask0", [](const std::string& t) { return reference(t, 0).getSize(); }},
      {"essc_png",
       [](const std::string& t) {
         return static_cast<int>(essc::services::render_qr_png(t)->size());
       }},
  };
}

double batch_us(const Encoder& encoder, const std::string& text, int count, int& sink) {
  const auto start = Clock::now();
  for (int i = 0; i < count; ++i) sink += encoder.run(text);
  return std::chrono::duration<double, std::micro>(Clock::now() - start).count() / count;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2.0;  // a payload's whole measurement
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--seconds") seconds = std::atof(argv[i + 1]);
  }
  const auto all_encoders = encoders();
  int sink = 0;
  std::printf("%-9s %-8s %-20s %10s %10s\n", "payload", "version", "encoder", "median_us",
              "best_us");
  for (const auto& payload : payloads()) {
    const auto version = encode_qr(payload.text)->version();
    // A batch of each encoder lasts about seconds / rounds / encoders.
    std::vector<int> counts;
    for (const auto& encoder : all_encoders) {
      const double us = batch_us(encoder, payload.text, 20, sink);
      counts.push_back(
          std::max(1, static_cast<int>(seconds * 1e6 / kRounds /
                                       static_cast<double>(all_encoders.size()) / us)));
    }
    std::vector<std::vector<double>> samples(all_encoders.size());
    for (int round = 0; round < kRounds; ++round) {
      for (std::size_t e = 0; e < all_encoders.size(); ++e)
        samples[e].push_back(batch_us(all_encoders[e], payload.text, counts[e], sink));
    }
    for (std::size_t e = 0; e < all_encoders.size(); ++e) {
      auto& s = samples[e];
      std::sort(s.begin(), s.end());
      std::printf("%-9s %-8d %-20s %10.1f %10.1f\n", payload.name, version, all_encoders[e].name,
                  s[s.size() / 2], s.front());
    }
  }
  return sink == 42 ? 1 : 0;  // keeps the work from being optimized away
}
