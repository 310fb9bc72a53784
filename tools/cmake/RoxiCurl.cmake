# libcurl for src/embedders (the only module that includes its headers), as INTERFACE target
# roxi_dep_curl.
#
# Debian's libcurl.a cannot be linked statically (it needs GSS-API, LDAP, RTMP, ... archives that do
# not exist), so tools/build-curl.sh builds a minimal HTTP/HTTPS libcurl from Debian's curl source at
# configure time, cached in ${ROXI_CACHE_DIR}/third_party/curl and rebuilt only when the script
# changes. It links these system archives, in this order: nghttp2, OpenSSL, c-ares, zlib.
set(ROXI_CURL_SCRIPT ${PROJECT_SOURCE_DIR}/tools/build-curl.sh)
set(ROXI_CURL_PREFIX ${ROXI_CACHE_DIR}/third_party/curl/install)

execute_process(
  COMMAND ${CMAKE_COMMAND} -E env CC=${CMAKE_C_COMPILER} bash ${ROXI_CURL_SCRIPT} ${ROXI_CACHE_DIR}
  RESULT_VARIABLE roxi_curl_result)
if(NOT roxi_curl_result EQUAL 0)
  message(FATAL_ERROR
    "tools/build-curl.sh failed (exit ${roxi_curl_result}); see its messages above and "
    "${ROXI_CACHE_DIR}/third_party/curl/build.log. Missing packages or deb-src entry: run "
    "tools/install-deps.sh.")
endif()
# Re-run configure (and so the script) whenever the script changes.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${ROXI_CURL_SCRIPT})

roxi_find_static(ROXI_LIB_SSL ssl)
roxi_find_static(ROXI_LIB_CRYPTO crypto)
roxi_find_static(ROXI_LIB_CARES cares)
roxi_find_static(ROXI_LIB_NGHTTP2 nghttp2)

add_library(roxi_dep_curl INTERFACE)
target_include_directories(roxi_dep_curl SYSTEM INTERFACE ${ROXI_CURL_PREFIX}/include)
target_link_libraries(roxi_dep_curl INTERFACE
  ${ROXI_CURL_PREFIX}/lib/libcurl.a ${ROXI_LIB_NGHTTP2} ${ROXI_LIB_SSL} ${ROXI_LIB_CRYPTO}
  ${ROXI_LIB_CARES} ${ROXI_LIB_Z} Threads::Threads ${CMAKE_DL_LIBS})
