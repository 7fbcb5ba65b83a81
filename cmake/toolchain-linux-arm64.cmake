# Cross-compiling for linux-arm64 with Debian's g++-aarch64-linux-gnu (apt-get install
# g++-aarch64-linux-gnu qemu-user libc6-arm64-cross). Used by cmake/build-deps.sh
# (H5DAT_TARGET=linux-arm64) and by the addon's prebuild (scripts/prebuild-compile.sh).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(H5DAT_CROSS_TRIPLE aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${H5DAT_CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${H5DAT_CROSS_TRIPLE}-g++)
# HDF5's configure checks (try_run) and any build-time generator run as arm64 programs under
# qemu-user, against the arm64 C library that libc6-arm64-cross installs.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/${H5DAT_CROSS_TRIPLE})
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-cross.cmake)
