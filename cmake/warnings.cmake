# Shared compile options for every facteur target.
add_library(facteur_options INTERFACE)
target_compile_features(facteur_options INTERFACE cxx_std_20)
target_include_directories(facteur_options INTERFACE ${PROJECT_SOURCE_DIR})
target_compile_options(facteur_options INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough
  # GCC 12 at -O2 misreads Asio's coroutine frame allocator as a new/delete mismatch (a false positive).
  $<$<CXX_COMPILER_ID:GNU>:-Wno-mismatched-new-delete>
  $<$<BOOL:${FACTEUR_WERROR}>:-Werror>)
target_compile_definitions(facteur_options INTERFACE
  BOOST_ASIO_NO_DEPRECATED BOOST_ASIO_DISABLE_BOOST_COROUTINE)

# Third-party headers are included as system headers so their warnings stay theirs.
add_library(facteur_asio INTERFACE)
target_link_libraries(facteur_asio INTERFACE Boost::headers OpenSSL::SSL OpenSSL::Crypto Threads::Threads)

# Helper: one static library per component, named facteur_<name>.
function(facteur_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(facteur_${name} STATIC ${ARG_SOURCES})
  target_link_libraries(facteur_${name} PUBLIC facteur_options ${ARG_DEPS})
endfunction()
