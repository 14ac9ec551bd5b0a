// The drain step (drain_step.cpp): every reply until the server goes quiet or closes.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "harness/engine/case_run.hpp"

namespace facteur::engine {

boost::asio::awaitable<void> run_drain(CaseRun& run, const scenario::Step& step);

}  // namespace facteur::engine
