// What the fake contact form of fake_http_form.hpp does: where it mails, its limits, and
// `FakeFormMisbehaviour` — one named switch per way a real form handler or the HTTP server in
// front of it goes wrong. All off: the form behaves like the lab's nginx + contact.php.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace facteur::testing {

struct FakeFormMisbehaviour {
  // The form handler.
  bool ok_for_missing_fields = false;   // 200 "thanks" when a required field is missing or empty
  bool header_injection = false;        // CR/LF in name/subject/email accepted; the mail is written raw, and
                                        // every Bcc: line it then holds becomes a recipient (sendmail -t)
  bool ok_for_any_method = false;       // 200 with the form page instead of 405
  bool no_allow = false;                // 405 without Allow
  bool accept_oversize = false;         // reads any body and answers 303 instead of 413
  bool accept_any_type = false;         // reads any content type as urlencoded instead of 415
  bool no_csrf_check = false;           // token not checked
  bool ok_instead_of_see_other = false;     // a sent form answered 200 with the thank-you page (a reload posts again)
  bool found_instead_of_see_other = false;  // a sent form answered 302 Found
  bool arrays_accepted = false;         // name[]=a&name[]=b taken as the value "Array" (PHP's string conversion)
  bool crash_on_duplicate_field = false;  // a name given twice ends in 500
  bool no_email_check = false;          // any email value is mailed
  bool email_needs_only_an_at = false;  // the naive check: some '@' somewhere
  bool lenient_urldecoding = false;     // a broken %-escape kept as it is, values not checked for UTF-8
  bool multipart_unreadable_as_empty = false;  // multipart that cannot be split is an empty form (then 403)
  bool multipart_boundary_from_body = false;   // the delimiter taken from the body's first line, whatever
                                               // Content-Type announces
  bool latin1_reencoding = false;       // field octets read as Latin-1 and re-encoded to UTF-8 (mojibake)
  bool drops_attachment = false;        // the file part is accepted but not put in the mail
  bool empty_attachment = false;        // the file attached by its name, its content lost (read from the wrong place)
  bool raw_utf8_headers = false;        // Subject and display names written in raw UTF-8 (PHP mail()'s default)
  bool mail_not_sent = false;           // 303, and no mail
  bool visitor_as_from = false;         // the visitor's address as From: (the form's own goes nowhere)

  // The HTTP server: message framing (RFC 9112).
  bool accept_duplicate_host = false;        // two Host fields taken (the first)
  bool accept_missing_host = false;          // an HTTP/1.1 request without Host served
  bool accept_space_before_colon = false;    // "Host : x" taken as Host
  bool first_content_length_wins = false;    // differing Content-Length values: the first used
  bool lenient_content_length = false;       // "12abc" read as 12 (strtoul)
  bool lenient_chunk_size = false;           // "zz" read as 0 (strtoul): the body ends there
  bool content_length_over_chunked = false;  // Transfer-Encoding and Content-Length: read by the length
  bool no_close_after_te_and_cl = false;     // read by the chunks, but the connection kept (RFC 9112 §6.1)
  bool no_close_after_framing_error = false; // a 400 (bad framing or fields) and the connection kept: what
                                             // follows is read as the next request
  bool chunked_411 = false;                  // a chunked request answered 411 Length Required
  bool chunked_body_dropped = false;         // Transfer-Encoding ignored: no body, the chunks read as requests
  bool body_runs_past_content_length = false;  // the body is everything that arrived, not Content-Length octets
  bool answers_417_to_expect = false;        // Expect: 100-continue answered 417
  bool never_sends_100 = false;              // Expect: 100-continue never answered: the server waits for content
  bool ignores_connection_close = false;     // Connection: close and the connection stays open
  bool pipelined_out_of_order = false;       // requests read in one go answered last first
  bool drops_pipelined_requests = false;     // what arrived behind a request is thrown away

  // The HTTP server: responses.
  bool body_after_204 = false;   // a 204 followed by a few octets of content
  bool chunked_204 = false;      // a 204 with Transfer-Encoding: chunked and a last chunk
  bool body_with_head = false;   // HEAD answered with the GET response's content
};

struct FakeFormConfig {
  FakeFormMisbehaviour bad;
  std::size_t max_body = 1 << 20;
  // How long a kept-alive connection waits for the next request or the rest of one: longer than a
  // test's reply timeout, so a server that waits is seen waiting, not closing.
  std::chrono::milliseconds idle_timeout{15000};
  std::string smtp_host = "127.0.0.1";  // where accepted forms are mailed; port 0: not mailed
  std::uint16_t smtp_port = 0;
  std::string rcpt = "erin@lab.test", from = "contact-form@lab.test";
};

}  // namespace facteur::testing
