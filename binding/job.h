#pragma once
// Every native operation is written once as a Job and exported twice: `name` returns a Promise
// and runs the HDF5 part on the libuv pool; `nameSync` runs it on the JS thread. Either way the
// HDF5 part holds the process-wide HDF5 lock.
#include <napi.h>

#include <functional>
#include <vector>

namespace h5dat {

struct Job {
  // HDF5 work; runs under H5Lock, possibly off the JS thread: must not touch JS values.
  std::function<void()> run;
  // Builds the JS result on the JS thread after `run` succeeded. Optional (undefined).
  std::function<Napi::Value(Napi::Env)> done;
  // JS values whose memory `run` uses (input buffers, handles): kept alive until done.
  std::vector<Napi::Value> pins;
};

// Reads the JS arguments (on the JS thread) and returns the job to run.
using JobMaker = Job (*)(const Napi::CallbackInfo&);

void ExportJob(Napi::Env env, Napi::Object exports, const char* name, JobMaker make);

}  // namespace h5dat
