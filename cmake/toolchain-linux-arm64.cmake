# Cross-compiling for linux-arm64 with Debian's g++-aarch64-linux-gnu (apt-get install
# g++-aarch64-linux-gnu qemu-user libc6-arm64-cross). Used by cmake/build-deps.sh
# (H5DAT_TARGET=linux-arm64) and by the addon's prebuild (scripts/prebuild-compile.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(H5DAT_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${H5DAT_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${H5DAT_CROSS_TRIPLE}-g++)
set(CMAKE_AR ${H5DAT_CROSS_TRIPLE}-ar CACHE FILEPATH "")
set(CMAKE_RANLIB ${H5DAT_CROSS_TRIPLE}-ranlib CACHE FILEPATH "")
set(CMAKE_STRIP ${H5DAT_CROSS_TRIPLE}-strip CACHE FILEPATH "")
# HDF5's configure checks (try_run) and any build-time generator run as arm64 programs under
# qemu-user, against the arm64 C library that libc6-arm64-cross installs.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/${H5DAT_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH /usr/${H5DAT_CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# cmake/build-deps.sh exports its prefix: the dependencies built before are found there too.
if(DEFINED ENV{H5DAT_DEPS_PREFIX})
  list(APPEND CMAKE_FIND_ROOT_PATH $ENV{H5DAT_DEPS_PREFIX})
endif()
