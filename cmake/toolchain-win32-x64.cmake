# Cross-compiling for win32-x64 with Debian's MinGW-w64 (apt-get install g++-mingw-w64-x86-64
# wine64). Used by cmake/build-deps.sh (H5DAT_TARGET=win32-x64) and by the addon's prebuild
# (scripts/prebuild-compile.sh). The POSIX-threads flavour of the compiler: the addon uses
# std::thread and std::mutex, which the win32-threads flavour of GCC 12 lacks.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(H5DAT_CROSS_TRIPLE x86_64-w64-mingw32)
set(CMAKE_C_COMPILER ${H5DAT_CROSS_TRIPLE}-gcc-posix)
set(CMAKE_CXX_COMPILER ${H5DAT_CROSS_TRIPLE}-g++-posix)
set(CMAKE_RC_COMPILER ${H5DAT_CROSS_TRIPLE}-windres)
# Every program is linked static (libgcc, libstdc++, winpthread): HDF5's configure checks then run
# under wine without MinGW's DLLs on its path, and the .node needs only Windows' own DLLs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
set(CMAKE_MODULE_LINKER_FLAGS_INIT "-static -static-libgcc -static-libstdc++")
# HDF5's configure checks (try_run) run as Windows programs under wine (cmake/wine-run.sh keeps
# its prefix out of $HOME and its debug chatter off).
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/wine-run.sh)
include(${CMAKE_CURRENT_LIST_DIR}/toolchain-cross.cmake)
