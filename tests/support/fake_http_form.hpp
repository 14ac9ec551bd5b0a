// A small contact form over HTTP/1.1 for the negative tests of the http-form suite: correct by
// default (modelled on the lab's contact.php behind nginx: GET gives a page with a hidden
// csrf_token bound to a session cookie; POST checks type, token, fields and answers 303, sending
// the mail over SMTP to a real server when one is given), and one switch per misbehaviour.
// Runs on a RawServer (its own threads, blocking sockets); plain HTTP only.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "tests/support/raw_server.hpp"

namespace facteur::testing {

struct FakeFormMisbehaviour {
  bool ok_for_missing_fields = false;   // 200 "thanks" when a required field is missing or empty
  bool header_injection = false;        // CR/LF in name/subject/email accepted; the mail is written raw, and
                                        // every Bcc: line it then holds becomes a recipient (sendmail -t)
  bool ok_for_any_method = false;       // 200 with the form page instead of 405
  bool no_allow = false;                // 405 without Allow
  bool accept_oversize = false;         // reads any body and answers 303 instead of 413
  bool accept_any_type = false;         // reads any content type as urlencoded instead of 415
  bool no_csrf_check = false;           // token not checked
};

struct FakeFormConfig {
  FakeFormMisbehaviour bad;
  std::size_t max_body = 1 << 20;
  std::string smtp_host = "127.0.0.1";  // where accepted forms are mailed; port 0: not mailed
  std::uint16_t smtp_port = 0;
  std::string rcpt = "erin@lab.test", from = "contact-form@lab.test";
};

class FakeHttpForm {
 public:
  explicit FakeHttpForm(FakeFormConfig config);
  std::uint16_t port() const { return server_.port(); }
  int mails_sent() const { return mails_.load(); }

 private:
  void serve(RawConnection& c);
  std::string token_for(const std::string& session);  // "" for an unknown session
  std::string new_session();

  FakeFormConfig config_;
  std::mutex mutex_;
  std::map<std::string, std::string> tokens_;  // session id → csrf token
  std::atomic<int> next_{1};
  std::atomic<int> mails_{0};
  RawServer server_;  // last: its threads use the members above
};

}  // namespace facteur::testing
