// Node binding of the probe: argument checks, ownership and the reader thread; everything else lives in
// probe_loader.c (kernel side) and src/index.ts (types, errors, documentation). The reader thread hands
// whole batches to JavaScript through a thread-safe function: one call per batch, never per event.
#include <napi.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>

#include "probe_loader.h"

namespace {

struct Batch {
  uint8_t* data;
  size_t len;
  uint32_t* offsets;
  uint32_t count;
};

// A probe's configuration as probe_config points into it: owns the lists for as long as a load runs.
struct OwnedConfig {
  std::vector<uint32_t> pids, exclude;
  std::vector<uint16_t> sc;
  probe_config c{};

  OwnedConfig(const OwnedConfig&) = delete;  // `c` points into this object's lists
  explicit OwnedConfig(Napi::Object cfg) {
    pids = U32List(cfg.Get("pids"));
    exclude = U32List(cfg.Get("excludePids"));
    std::vector<uint32_t> sc32 = U32List(cfg.Get("ppmSc"));
    sc.assign(sc32.begin(), sc32.end());
    c.snaplen = cfg.Get("snaplen").ToNumber().Uint32Value();
    c.buffer_bytes_per_cpu = cfg.Get("bufferBytesPerCpu").ToNumber().Uint32Value();
    c.pids = pids.data();
    c.n_pids = pids.size();
    c.exclude_pids = exclude.data();
    c.n_exclude_pids = exclude.size();
    c.ppm_sc = sc.data();
    c.n_ppm_sc = sc.size();
    c.sched_switch = cfg.Get("schedSwitch").ToBoolean();
    c.page_faults = cfg.Get("pageFaults").ToBoolean();
    c.no_enter_events = !cfg.Get("enterEvents").ToBoolean();
    c.follow_forks = cfg.Get("followForks").ToBoolean();
    c.children_of = cfg.Get("childrenOf").ToNumber().Uint32Value();
  }

  static std::vector<uint32_t> U32List(Napi::Value v) {
    std::vector<uint32_t> out;
    if (!v.IsArray()) return out;
    Napi::Array a = v.As<Napi::Array>();
    for (uint32_t i = 0; i < a.Length(); i++) out.push_back(a.Get(i).ToNumber().Uint32Value());
    return out;
  }
};

// A loaded, not yet attached probe (loadProbe): the JavaScript side holds it as an External until a
// ProbeHandle adopts it; one never adopted is destroyed when collected.
struct LoadedProbe {
  probe* p = nullptr;
};

Napi::Error LoadError(Napi::Env env, const probe_error& err) {
  Napi::Error e = Napi::Error::New(env, err.message);
  e.Set("reason", Napi::String::New(env, probe_error_reason_name(err.reason)));
  return e;
}

// loadProbe(config): the kernel's verification of the programs (most of the start-up) on a libuv worker
// thread, while JavaScript goes on; resolves with a LoadedProbe External.
class LoadWorker : public Napi::AsyncWorker {
 public:
  LoadWorker(Napi::Env env, Napi::Object cfg)
      : Napi::AsyncWorker(env), config_(cfg), deferred_(Napi::Promise::Deferred::New(env)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

  void Execute() override { probe_ = probe_load(&config_.c, &err_); }

  void OnOK() override {
    Napi::Env env = Env();
    if (!probe_) {
      deferred_.Reject(LoadError(env, err_).Value());
      return;
    }
    auto* loaded = new LoadedProbe{probe_};
    deferred_.Resolve(Napi::External<LoadedProbe>::New(env, loaded, [](Napi::Env, LoadedProbe* l) {
      if (l->p) probe_destroy(l->p);
      delete l;
    }));
  }

 private:
  OwnedConfig config_;
  probe_error err_{};
  probe* probe_ = nullptr;
  Napi::Promise::Deferred deferred_;
};

Napi::Value LoadProbe(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    Napi::TypeError::New(env, "loadProbe(config): expected an object").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  auto* w = new LoadWorker(env, info[0].As<Napi::Object>());
  Napi::Promise p = w->Promise();
  w->Queue();
  return p;
}

class ProbeHandle;
void FreeBatch(Batch* b);
void CallJs(Napi::Env env, Napi::Function onBatch, ProbeHandle* ctx, Batch* batch);
using BatchTsfn = Napi::TypedThreadSafeFunction<ProbeHandle, Batch, CallJs>;

struct CounterSnapshot {
  std::vector<probe_cpu_counters> cpus;
  uint64_t delivered = 0;
};

class ProbeHandle : public Napi::ObjectWrap<ProbeHandle> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "ProbeHandle",
                       {InstanceMethod<&ProbeHandle::Close>("close"), InstanceMethod<&ProbeHandle::Ref>("ref"),
                        InstanceMethod<&ProbeHandle::Unref>("unref"),
                        InstanceMethod<&ProbeHandle::Stats>("stats")});
  }

  // new ProbeHandle(config | loaded, onBatch(data: ArrayBuffer, offsets: ArrayBuffer, count: number)):
  // loads and attaches, or attaches a probe loadProbe loaded.
  ProbeHandle(const Napi::CallbackInfo& info) : Napi::ObjectWrap<ProbeHandle>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 2 || !(info[0].IsObject() || info[0].IsExternal()) || !info[1].IsFunction()) {
      Napi::TypeError::New(env, "ProbeHandle(config | loaded, onBatch): expected an object and a function")
          .ThrowAsJavaScriptException();
      return;
    }
    auto* err = new probe_error();
    if (info[0].IsExternal()) {
      LoadedProbe* loaded = info[0].As<Napi::External<LoadedProbe>>().Data();
      if (!loaded->p) {
        delete err;
        Napi::Error::New(env, "ProbeHandle: this loaded probe was attached or discarded already")
            .ThrowAsJavaScriptException();
        return;
      }
      probe* p = loaded->p;
      loaded->p = nullptr;  // ours now, whatever happens
      if (probe_attach(p, err)) {
        probe_destroy(p);
      } else {
        probe_ = p;
      }
    } else {
      OwnedConfig c(info[0].As<Napi::Object>());
      probe_ = probe_open(&c.c, err);
    }
    if (!probe_) {
      Napi::Error e = LoadError(env, *err);
      delete err;
      e.ThrowAsJavaScriptException();
      return;
    }
    delete err;

    // Queue of at most 64 batches: enough to ride out a JavaScript pause of a few hundred ms at 1.5M
    // events/s (the reader drains every millisecond, so batches are small); past it the reader waits and
    // the kernel counts drops, instead of memory growing without bound.
    tsfn_ = BatchTsfn::New(env, info[1].As<Napi::Function>(), "scapkit-probe-reader", 64, 1, this,
                           [](Napi::Env, void*, ProbeHandle* self) { self->Finish(); });
    reader_ = std::thread([this] { ReadLoop(); });
  }

  ~ProbeHandle() override {
    // The thread-safe function keeps the JavaScript callback (and through it this object) alive while
    // the reader runs, so by now Finish() has run; this only covers a failed constructor.
    if (probe_ && !reader_.joinable()) probe_destroy(probe_);
  }

  void DeliverBatch(Batch* b) {
    // Non-blocking with retries rather than BlockingCall: a stop request (close, environment teardown)
    // must never wait on a queue that only the JavaScript thread can drain.
    for (;;) {
      napi_status s = tsfn_.NonBlockingCall(b);
      if (s == napi_ok) return;
      if (s != napi_queue_full || stopHard_.load()) break;
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    FreeBatch(b);
  }

 private:
  static void Sink(void* ctx, uint8_t* data, size_t len, uint32_t* offsets, uint32_t count) {
    static_cast<ProbeHandle*>(ctx)->DeliverBatch(new Batch{data, len, offsets, count});
  }

  void ReadLoop() {
    // The programs write without waking us (BPF_RB_NO_WAKEUP): a 1 ms nap when the rings are empty costs
    // less than an interrupt per event and bounds the latency.
    while (!stop_.load()) {
      if (probe_drain(probe_, Sink, this) == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    probe_detach(probe_);
    while (!stopHard_.load() && probe_drain(probe_, Sink, this) > 0) {
    }
    tsfn_.Release();
  }

  // Runs on the JavaScript thread once the reader released the function and every queued batch was
  // delivered, or when the environment shuts down with the probe still running (an unref'd probe at
  // process exit): then the reader must be told to stop, without waiting for JavaScript.
  void Finish() {
    stop_.store(true);
    stopHard_.store(true);
    if (reader_.joinable()) reader_.join();
    final_ = Snapshot();
    probe_destroy(probe_);
    probe_ = nullptr;
    if (closeDeferred_) closeDeferred_->Resolve(Env().Undefined());
  }

  CounterSnapshot Snapshot() {
    CounterSnapshot s;
    s.cpus.resize(probe_cpu_count(probe_));
    int n = probe_read_counters(probe_, s.cpus.data(), (int)s.cpus.size());
    s.cpus.resize(n < 0 ? 0 : n);
    s.delivered = probe_delivered(probe_);
    return s;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!closing_) {
      closing_ = true;
      // A Deferred's promise handle only lives in this call's scope: keep a persistent reference to
      // return the same promise from later calls.
      closeDeferred_ = std::make_unique<Napi::Promise::Deferred>(env);
      closePromise_ = Napi::Persistent(closeDeferred_->Promise().As<Napi::Object>());
      stop_.store(true);
      tsfn_.Ref(env);  // keep the loop alive until the close promise settles
    }
    return closePromise_.Value();
  }

  Napi::Value Ref(const Napi::CallbackInfo& info) {
    if (probe_) tsfn_.Ref(info.Env());
    return info.Env().Undefined();
  }

  Napi::Value Unref(const Napi::CallbackInfo& info) {
    if (probe_ && !closing_) tsfn_.Unref(info.Env());
    return info.Env().Undefined();
  }

  // { cpus: [{ seen, dropsBuffer, dropsOther }], delivered }
  Napi::Value Stats(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    CounterSnapshot s = probe_ ? Snapshot() : final_;
    Napi::Array cpus = Napi::Array::New(env, s.cpus.size());
    for (size_t i = 0; i < s.cpus.size(); i++) {
      Napi::Object o = Napi::Object::New(env);
      o.Set("seen", Napi::Number::New(env, (double)s.cpus[i].seen));
      o.Set("dropsBuffer", Napi::Number::New(env, (double)s.cpus[i].drops_buffer));
      o.Set("dropsOther", Napi::Number::New(env, (double)s.cpus[i].drops_other));
      cpus.Set(i, o);
    }
    Napi::Object out = Napi::Object::New(env);
    out.Set("cpus", cpus);
    out.Set("delivered", Napi::Number::New(env, (double)s.delivered));
    return out;
  }

  friend void CallJs(Napi::Env, Napi::Function, ProbeHandle*, Batch*);

  probe* probe_ = nullptr;
  BatchTsfn tsfn_;
  std::thread reader_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> stopHard_{false};
  bool closing_ = false;
  std::unique_ptr<Napi::Promise::Deferred> closeDeferred_;
  Napi::ObjectReference closePromise_;
  CounterSnapshot final_;
};

void FreeBatch(Batch* b) {
  std::free(b->data);
  std::free(b->offsets);
  delete b;
}

// Raw N-API here, not node-addon-api's wrappers: while the environment shuts down a call can fail, and the
// wrappers would turn that failure into a thrown exception, which is fatal at that point.
//
// The events are copied into ArrayBuffers that V8 allocates, and the reader's buffers are freed here, at
// once. Handing JavaScript the reader's own malloc'ed buffers (zero copy, freed when V8 collected them)
// made the recorder's RSS grow without bound while V8's heap stayed flat: those 4 MiB buffers, realloc'ed
// down and freed on this thread seconds later, fragmented the reader thread's malloc arena, which grew
// to 4.5 GiB of address space, 99 % of it free, 520 MiB resident, in a 5-minute soak. (Mapping each
// buffer instead exhausted vm.max_map_count: one mapping per uncollected batch.) The copy costs about a
// memcpy of the event bytes on this thread, and V8 now knows the exact size of what JavaScript holds.
void CallJs(Napi::Env env, Napi::Function onBatch, ProbeHandle*, Batch* b) {
  if (env == nullptr || onBatch.IsEmpty()) {  // environment going away: just free
    FreeBatch(b);
    return;
  }
  napi_value args[3];
  void* data = nullptr;
  void* offsets = nullptr;
  if (napi_create_arraybuffer(env, b->len, &data, &args[0]) != napi_ok ||
      napi_create_arraybuffer(env, b->count * sizeof(uint32_t), &offsets, &args[1]) != napi_ok) {
    FreeBatch(b);
    return;
  }
  std::memcpy(data, b->data, b->len);
  std::memcpy(offsets, b->offsets, b->count * sizeof(uint32_t));
  uint32_t count = b->count;
  FreeBatch(b);
  napi_create_uint32(env, count, &args[2]);
  napi_value undefined, result;
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, onBatch, 3, args, &result);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("ProbeHandle", ProbeHandle::Init(env));
  exports.Set("loadProbe", Napi::Function::New(env, LoadProbe, "loadProbe"));
  // Drops a loaded probe that will not be attached (its verification was for other options), now.
  exports.Set("discardProbe", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    if (info.Length() > 0 && info[0].IsExternal()) {
      LoadedProbe* l = info[0].As<Napi::External<LoadedProbe>>().Data();
      if (l->p) probe_destroy(l->p);
      l->p = nullptr;
    }
    return info.Env().Undefined();
  }));
  return exports;
}

}  // namespace

NODE_API_MODULE(scapkit_probe, Init)
