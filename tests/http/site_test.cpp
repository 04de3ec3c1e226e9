// The whole HTTP surface of essc: the web pages (embedded, or from a folder), the API
// beside them, and the demo client backend that signs for the demo clients so their
// secrets never reach a browser (R-S2: every channel call is signed).
#include "http/site.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "support/test_server.hpp"

namespace essc::testing {
namespace {

class SiteTest : public ::testing::Test {
 protected:
  void write(const std::filesystem::path& relative, const std::string& text) {
    std::filesystem::create_directories((web_dir() / relative).parent_path());
    std::ofstream(web_dir() / relative) << text;
  }

  void start(std::optional<std::filesystem::path> web_dir, bool with_demo) {
    std::optional<http::DemoBackend> demo;
    if (with_demo) {
      const auto made = platform_.platform().clients.add(
          services::Actor::command_line(),
          {"channel", "政务APP", "gov", std::nullopt, "330200", std::nullopt});
      channel_secret_ = made->secret;
      demo.emplace(api_, platform_.clock(),
                   std::vector<http::DemoClient>{
                       {"gov", "政务APP", "channel", "gov", made->client_id, made->secret}});
    }
    site_ =
        std::make_unique<http::Site>(api_, http::StaticSite(std::move(web_dir)), std::move(demo));
    server_ = start_loopback_server([this](http::Request& r) { return site_->handle(r); });
  }

  std::filesystem::path web_dir() const { return pages_.path() / "web"; }

  HttpAnswer get(const std::string& target, const Headers& headers = {}) {
    return http_request(server_->port(), "GET", target, {}, headers);
  }

  TempDir pages_;
  TestPlatform platform_;
  http::Api api_{platform_.platform()};
  std::unique_ptr<http::Site> site_;
  std::unique_ptr<http::Server> server_;
  std::string channel_secret_;
};

TEST_F(SiteTest, ServesPagesFromAFolderWithTheirTypesAndAStrictContentSecurityPolicy) {
  write("index.html", "<h1>essc</h1>");
  write("app/index.html", "<main>app</main>");
  write("app/main.js", "export const x = 1;");
  start(web_dir(), false);

  const auto home = get("/");
  EXPECT_EQ(home.status, 200);
  EXPECT_EQ(home.body, "<h1>essc</h1>");
  EXPECT_EQ(home.header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(home.header("content-security-policy")->starts_with("default-src 'self'"));
  EXPECT_EQ(home.header("x-content-type-options"), "nosniff");

  EXPECT_EQ(get("/app/").body, "<main>app</main>");
  EXPECT_EQ(get("/app/main.js?v=2").header("content-type"), "text/javascript; charset=utf-8");
  const auto folder = get("/app");
  EXPECT_EQ(folder.status, 301);
  EXPECT_EQ(folder.header("location"), "/app/");
}

TEST_F(SiteTest, NothingOutsideThePagesFolderOrHiddenIsServed) {
  write("index.html", "home");
  write(".secret", "no");
  write("app/.env", "no");
  std::ofstream(pages_.path() / "outside.txt") << "no";
  start(web_dir(), false);

  for (const std::string target :
       {"/.secret", "/app/.env", "/../outside.txt", "/app/../../outside.txt", "/%2e%2e/outside.txt",
        "//etc/passwd", "/missing.html"}) {
    const auto answer = get(target);
    EXPECT_EQ(answer.status, 404) << target;
    EXPECT_EQ(answer.error_code(), "NOT_FOUND") << target;
  }
  EXPECT_EQ(http_request(server_->port(), "POST", "/", "x").status, 404);
}

TEST_F(SiteTest, TheApiAnswersBesideThePages) {
  start(web_dir(), false);
  EXPECT_EQ(get("/healthz").status, 200);
  EXPECT_EQ(get("/v1/keys").status, 200);
  EXPECT_EQ(get("/openapi.json").status, 200);
}

TEST_F(SiteTest, TheBuiltInPagesAreTheCardholderAppTheTillTheConsoleAndTheCertificateCheck) {
  start(std::nullopt, false);
  for (const std::string page : {"/", "/app/", "/till/", "/console/", "/verify/"}) {
    const auto answer = get(page);
    EXPECT_EQ(answer.status, 200) << page;
    EXPECT_EQ(answer.header("content-type"), "text/html; charset=utf-8") << page;
  }
}

TEST_F(SiteTest, R_S2_TheDemoBackendSignsAsTheDemoChannelAndNeverShowsItsSecret) {
  start(web_dir(), true);
  const auto clients = get("/demo/api/clients");
  EXPECT_EQ(clients.status, 200);
  EXPECT_EQ(clients.json().at("items").at(0).at("key"), "gov");
  EXPECT_EQ(clients.body.find(channel_secret_), std::string::npos);
  EXPECT_EQ(clients.body.find("client_id"), std::string::npos);

  // Unsigned, the platform refuses; through the backend the call is signed and reaches
  // the handler, which looks for the binding.
  EXPECT_EQ(get("/v1/ecards/eb_unknown").error_code(), "UNAUTHENTICATED");
  EXPECT_EQ(get("/demo/api/gov/v1/ecards/eb_unknown").error_code(), "NOT_FOUND");
  // Signed as a channel, an institution's route is forbidden: the caller is that channel.
  const auto settle = http_request(server_->port(), "POST", "/demo/api/gov/v1/identity/verify",
                                   R"({"qr_token":"x"})");
  EXPECT_EQ(settle.error_code(), "FORBIDDEN");
}

TEST_F(SiteTest, TheDemoBackendTakesNoSigningHeadersFromTheBrowserAndKnowsOnlyItsClients) {
  start(web_dir(), true);
  const auto forged =
      get("/demo/api/gov/v1/ecards/eb_unknown",
          {{"X-Essc-Client", "cl_other"}, {"X-Essc-Signature", std::string(64, '0')}});
  EXPECT_EQ(forged.error_code(), "NOT_FOUND");
  EXPECT_EQ(get("/demo/api/pharmacy/v1/settlements?date=2026-11-26").error_code(), "NOT_FOUND");
  EXPECT_EQ(get("/demo/api/gov/healthz").error_code(), "NOT_FOUND");
  EXPECT_EQ(get("/demo/api/gov").error_code(), "NOT_FOUND");
}

TEST_F(SiteTest, WithoutDemoDataThereIsNoDemoBackend) {
  start(web_dir(), false);
  EXPECT_EQ(get("/demo/api/clients").error_code(), "NOT_FOUND");
}

}  // namespace
}  // namespace essc::testing
