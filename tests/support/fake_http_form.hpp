// A small contact form over HTTP/1.1 for the negative tests of the http-form suite: correct by
// default (modelled on the lab's contact.php behind nginx: GET gives a page with a hidden
// csrf_token bound to a session cookie; POST checks type, token, fields and answers 303, sending
// the mail over SMTP to a real server when one is given; /echo.php answers the request as JSON,
// /204 and /thanks.php as nginx does), and one switch per misbehaviour (fake_http_form_config.hpp).
// Runs on a RawServer (its own threads, blocking sockets); plain HTTP only. Its parts:
// fake_http_request (framing), fake_form_fields (reading a form), fake_form_mail (the mail).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "tests/support/fake_http_form_config.hpp"
#include "tests/support/fake_http_request.hpp"
#include "tests/support/raw_server.hpp"

namespace facteur::testing {

class FakeHttpForm {
 public:
  explicit FakeHttpForm(FakeFormConfig config);
  std::uint16_t port() const { return server_.port(); }
  int mails_sent() const { return mails_.load(); }

 private:
  void serve(RawConnection& c);
  std::string respond(const FakeRequest& r);  // the whole response, content included
  std::string contact(const FakeRequest& r);  // /contact.php
  std::string echo(const FakeRequest& r) const;  // /echo.php
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
