# Resolves every third-party library roxi uses to an INTERFACE target roxi_dep_<name>. All compiled
# libraries are taken as static archives (.a) so that the roxi binary can be linked with -static; the
# test programs link the same archives, so there is one link recipe to keep working.
find_package(Threads REQUIRED)

# Third-party builds made at configure time (static libcurl, the httplib header) are kept outside
# the build directory, so a fresh clone or a new build directory reuses them. Default:
# $ROXI_CACHE_DIR, else ~/.cache/roxi, else the build directory.
if(DEFINED ENV{ROXI_CACHE_DIR} AND NOT "$ENV{ROXI_CACHE_DIR}" STREQUAL "")
  set(roxi_cache_default "$ENV{ROXI_CACHE_DIR}")
elseif(DEFINED ENV{HOME} AND NOT "$ENV{HOME}" STREQUAL "")
  set(roxi_cache_default "$ENV{HOME}/.cache/roxi")
else()
  set(roxi_cache_default "${CMAKE_BINARY_DIR}")
endif()
set(ROXI_CACHE_DIR "${roxi_cache_default}" CACHE PATH
    "Folder for third-party builds shared between build directories and clones")
file(MAKE_DIRECTORY "${ROXI_CACHE_DIR}")

function(roxi_find_static out name)
  find_library(${out} NAMES lib${name}.a
               PATHS /usr/lib/x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread
               REQUIRED)
endfunction()

roxi_find_static(ROXI_LIB_ROCKSDB rocksdb)
roxi_find_static(ROXI_LIB_SNAPPY snappy)
roxi_find_static(ROXI_LIB_LZ4 lz4)
roxi_find_static(ROXI_LIB_BZ2 bz2)
roxi_find_static(ROXI_LIB_Z z)
roxi_find_static(ROXI_LIB_ZSTD zstd)
roxi_find_static(ROXI_LIB_URING uring)
roxi_find_static(ROXI_LIB_GFLAGS gflags)
roxi_find_static(ROXI_LIB_FAISS faiss)
roxi_find_static(ROXI_LIB_OPENBLAS openblas)
roxi_find_static(ROXI_LIB_BOOST_PO boost_program_options)

# zstd: compression for backups (and a RocksDB codec).
add_library(roxi_dep_zstd INTERFACE)
target_link_libraries(roxi_dep_zstd INTERFACE ${ROXI_LIB_ZSTD})

# RocksDB: the store. Debian's librocksdb.a was built against these codecs.
add_library(roxi_dep_rocksdb INTERFACE)
target_link_libraries(roxi_dep_rocksdb INTERFACE
  ${ROXI_LIB_ROCKSDB} ${ROXI_LIB_SNAPPY} ${ROXI_LIB_LZ4} ${ROXI_LIB_BZ2} ${ROXI_LIB_Z}
  ${ROXI_LIB_ZSTD} ${ROXI_LIB_URING} ${ROXI_LIB_GFLAGS} Threads::Threads ${CMAKE_DL_LIBS})

# FAISS: similarity search over the derived index; OpenBLAS (pthread flavour) and its Fortran runtime.
add_library(roxi_dep_faiss INTERFACE)
target_link_libraries(roxi_dep_faiss INTERFACE
  ${ROXI_LIB_FAISS} ${ROXI_LIB_OPENBLAS} gfortran quadmath gomp Threads::Threads)
# libgomp by name (not CMake's OpenMP target, which names libgomp.so) so -static picks libgomp.a.
target_link_options(roxi_dep_faiss INTERFACE -fopenmp)

# Boost.Program_options: command-line and config-file parsing.
add_library(roxi_dep_boost_po INTERFACE)
target_link_libraries(roxi_dep_boost_po INTERFACE ${ROXI_LIB_BOOST_PO})

# xxHash: XXH3 checksums of every record; used header-only so nothing extra is linked.
add_library(roxi_dep_xxhash INTERFACE)
target_compile_definitions(roxi_dep_xxhash INTERFACE XXH_INLINE_ALL)

# spdlog + fmt: structured logging; Debian ships no static archives, so both are used header-only.
add_library(roxi_dep_spdlog INTERFACE)
target_compile_definitions(roxi_dep_spdlog INTERFACE SPDLOG_HEADER_ONLY FMT_HEADER_ONLY)

# nlohmann-json: JSON output of --json and HTTP bodies; header-only.
add_library(roxi_dep_json INTERFACE)

# cpp-httplib: roxi serve's HTTP API and the test servers. Debian ships it only as a shared library
# with a declarations-only header, so tools/fetch-httplib.sh takes the single-file header from
# Debian's source package at configure time (cached in ROXI_CACHE_DIR) and it is compiled in,
# header-only, with TLS (OpenSSL, linked below) and poll(2) instead of select(2), so that a
# connection's descriptor may exceed FD_SETSIZE.
execute_process(COMMAND bash ${PROJECT_SOURCE_DIR}/tools/fetch-httplib.sh ${ROXI_CACHE_DIR}
                RESULT_VARIABLE roxi_httplib_result)
if(NOT roxi_httplib_result EQUAL 0)
  message(FATAL_ERROR "tools/fetch-httplib.sh failed (exit ${roxi_httplib_result}); run tools/install-deps.sh")
endif()
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/tools/fetch-httplib.sh)
add_library(roxi_dep_httplib INTERFACE)
target_include_directories(roxi_dep_httplib SYSTEM INTERFACE ${ROXI_CACHE_DIR}/third_party/httplib/include)
target_compile_definitions(roxi_dep_httplib INTERFACE CPPHTTPLIB_ZLIB_SUPPORT
  CPPHTTPLIB_OPENSSL_SUPPORT CPPHTTPLIB_USE_POLL CPPHTTPLIB_LISTEN_BACKLOG=128)

# libcurl (built from Debian's source at configure time) with OpenSSL, c-ares, nghttp2 and zlib.
include(${CMAKE_CURRENT_LIST_DIR}/RoxiCurl.cmake)
# roxi serve --tls-cert: the same static OpenSSL as libcurl's.
target_link_libraries(roxi_dep_httplib INTERFACE
  ${ROXI_LIB_SSL} ${ROXI_LIB_CRYPTO} ${ROXI_LIB_Z} Threads::Threads ${CMAKE_DL_LIBS})
