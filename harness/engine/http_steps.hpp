// The HTTP dialect (RFC 9110, RFC 9112): requests built from a step's options, sent on the
// session's connection, responses read with harness/http's ResponseReader from Session::rx.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"

namespace facteur::engine {

// http, raw and expect steps on an http:// or https:// session.
boost::asio::awaitable<void> run_http_step(CaseRun& run, const scenario::Step& step);

}  // namespace facteur::engine
