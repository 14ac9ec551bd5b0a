// Reads the parts of a scenario JSON document into the model, failing with the JSON pointer of
// the offending value (the loader turns pointers into file:line:column and $.path).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/scenario/json_locator.hpp"
#include "harness/scenario/model.hpp"

namespace facteur::scenario {

std::string default_user(Protocol p);

// The protocol a session URL template names: a literal scheme ("imaps://…"), or a variable named
// after one ("${imap_url}", "${pop3s_url}/x"). nullopt when it names none ("${form_url}", "").
std::optional<Protocol> protocol_of_url_template(std::string_view url);
std::string default_password(Protocol p);

class Reader {
 public:
  Reader(std::string file, const JsonLocator& locator) : file_(std::move(file)), locator_(locator) {}
  const std::string& file() const { return file_; }

  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const;

  void expect_type(const nlohmann::json& j, const std::string& ptr, nlohmann::json::value_t type,
                   const char* what) const;
  void check_keys(const nlohmann::json& j, const std::string& ptr,
                  const std::set<std::string, std::less<>>& allowed) const;
  void check_id(const std::string& id, const std::string& ptr) const;
  void check_template_at(const std::string& text, const std::string& ptr) const;

  std::string string_at(const nlohmann::json& obj, const std::string& ptr, const char* key, bool required) const;
  std::string string_or_number(const nlohmann::json& obj, const std::string& ptr, const char* key, bool required) const;
  int int_at(const nlohmann::json& obj, const std::string& ptr, const char* key, int min, int max) const;
  bool bool_at(const nlohmann::json& obj, const std::string& ptr, const char* key, bool fallback) const;
  std::vector<std::string> string_list(const nlohmann::json& obj, const std::string& ptr, const char* key) const;
  std::map<std::string, std::string, std::less<>> string_map(const nlohmann::json& j, const std::string& ptr,
                                                             bool templates) const;

  std::vector<Step> steps(const nlohmann::json& j, const std::string& ptr, Protocol protocol) const;
  // The protocol of each named session (from `sessions`): a step is read as a step of its
  // session's protocol, so one scenario can hold an HTTP session and an IMAP one. Sessions not
  // named here use the scenario's protocol. A connect step with a URL of a known scheme sets it too.
  void set_session_protocols(std::map<std::string, Protocol> protocols) { session_protocols_ = std::move(protocols); }
  ExpectSet expect_set(const nlohmann::json& j, const std::string& ptr) const;

 private:
  std::string raw_parts(const nlohmann::json& parts, const std::string& ptr) const;
  Step step(const nlohmann::json& j, const std::string& ptr, Protocol protocol) const;
  void step_body(Step& s, const nlohmann::json& v, const std::string& ptr, Protocol protocol) const;
  void mail_step_body(Step& s, const nlohmann::json& v, const std::string& ptr) const;  // imap/pop3/fixture
  void imap_options(Step& s, const nlohmann::json& j, const std::string& ptr) const;
  void http_options(Step& s, const nlohmann::json& j, const std::string& ptr) const;  // http_step_body.cpp
  static const std::set<std::string, std::less<>>& http_option_keys();
  // ftp_step_body.cpp: an ftp step's data options (adds their keys to `allowed`), its command,
  // and FTP's starttls body.
  void ftp_options(Step& s, const nlohmann::json& j, const std::string& ptr,
                   std::set<std::string, std::less<>>& allowed) const;
  void ftp_step_body(Step& s, const nlohmann::json& v, const std::string& ptr) const;
  std::uint64_t octets_at(const nlohmann::json& obj, const std::string& ptr, const char* key) const;
  SeededData seeded_at(const nlohmann::json& obj, const std::string& ptr) const;
  void check_imap_pattern(const std::string& text, const std::string& ptr) const;
  std::string fixture_file(const std::string& name, const std::string& ptr) const;
  Expectation expectation(const nlohmann::json& j, const std::string& ptr) const;
  Pattern pattern(const std::string& source, const std::string& ptr) const;
  MessageSpec message(const nlohmann::json& j, const std::string& ptr) const;

  Protocol session_protocol(const std::string& session, Protocol fallback) const;

  std::string file_;
  const JsonLocator& locator_;
  mutable std::map<std::string, Protocol> session_protocols_;
};

}  // namespace facteur::scenario
