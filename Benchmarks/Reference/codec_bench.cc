// C++ libprotobuf reference for the codec benchmark: decodes (ParseFromArray into a new
// message) and encodes (SerializeToString into a new string) the wire bytes that
// codec-bench wrote, one file per case; for the "… JSON" cases the file holds JSON, read with
// util::JsonStringToMessage and written with util::MessageToJsonString.
//   codec_bench DIR [seconds]                    prints "case<TAB>op<TAB>seconds per op" per line
//   codec_bench DIR --callgrind CASE OP N        runs one op N times in codec_bench_measured()
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>

#include "codec.pb.h"
#include "proto2.pb.h"
#include "search.pb.h"

namespace {
struct Case {
  const char* name;
  std::function<bool(const std::string&)> decode;
  std::function<size_t(const std::string&)> encode;  // decodes once outside, encodes per call
};

template <typename M>
Case make(const char* name) {
  Case c;
  c.name = name;
  c.decode = [](const std::string& bytes) {
    M m;
    return m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  };
  c.encode = [](const std::string& bytes) -> size_t {
    static thread_local std::string last;
    static thread_local M parsed;
    if (last != bytes) { parsed.ParseFromString(bytes); last = bytes; }
    std::string out;
    parsed.SerializeToString(&out);
    return out.size();
  };
  return c;
}

template <typename M>
Case makeJSON(const char* name) {
  Case c;
  c.name = name;
  c.decode = [](const std::string& json) {
    M m;
    return google::protobuf::util::JsonStringToMessage(json, &m).ok();
  };
  c.encode = [](const std::string& json) -> size_t {
    static thread_local std::string last;
    static thread_local M parsed;
    if (last != json) { google::protobuf::util::JsonStringToMessage(json, &parsed); last = json; }
    std::string out;
    google::protobuf::util::MessageToJsonString(parsed, &out);
    return out.size();
  };
  return c;
}

std::vector<Case> cases() {
  return {
      make<SearchRequest>("SearchRequest"),
      make<SearchResponses>("SearchResponses(100)"),
      make<bench::AllScalars>("AllScalars"),
      make<bench::PackedInt64>("PackedInt64(1000)"),
      make<bench::StringInt64Map>("Map<string,int64>(100)"),
      make<bench::StringInt64Map>("Map<string,int64>(100, shared prefix)"),
      make<bench::StringInt64Map>("Map<string,int64>(100, random keys)"),
      make<bench::StringInt64Map>("Map<string,int64>(10000)"),
      make<bench::Level1>("Nested(3 levels)"),
      make<bench::Blob>("Bytes(1 MiB)"),
      make<bench::WellKnownTypes>("WellKnownTypes"),
      make<bench::Order>("Proto2Order"),
      makeJSON<SearchRequest>("SearchRequest JSON"),
      makeJSON<SearchResponses>("SearchResponses(100) JSON"),
      makeJSON<bench::AllScalars>("AllScalars JSON"),
      makeJSON<bench::Level1>("Nested(3 levels) JSON"),
      makeJSON<bench::WellKnownTypes>("WellKnownTypes JSON"),
  };
}

std::string read(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

volatile size_t sink;
}  // namespace

extern "C" __attribute__((noinline)) size_t codec_bench_measured(long n, const std::function<size_t()>& body) {
  size_t s = 0;
  for (long i = 0; i < n; i++) s += body();
  return s;
}

int main(int argc, char** argv) {
  if (argc < 2) { std::fprintf(stderr, "usage: codec_bench DIR [seconds] | DIR --callgrind CASE OP N\n"); return 2; }
  std::string dir = argv[1];
  if (argc == 6 && std::strcmp(argv[2], "--callgrind") == 0) {
    for (auto& c : cases()) {
      if (c.name != std::string(argv[3])) continue;
      std::string bytes = read(dir + "/" + c.name + ".bin");
      bool encode = std::strcmp(argv[4], "encode") == 0;
      std::function<size_t()> body = encode ? std::function<size_t()>([&] { return c.encode(bytes); })
                                            : std::function<size_t()>([&] { return size_t(c.decode(bytes)); });
      body();  // first call outside: lazy initialisation, the encoder's parse
      sink = codec_bench_measured(std::atol(argv[5]), body);
      return 0;
    }
    std::fprintf(stderr, "no case %s\n", argv[3]);
    return 2;
  }
  double target = argc > 2 ? std::atof(argv[2]) : 0.2;
  using clock = std::chrono::steady_clock;
  for (auto& c : cases()) {
    std::string bytes = read(dir + "/" + c.name + ".bin");
    for (int op = 0; op < 2; op++) {
      auto call = [&] { return op == 0 ? c.encode(bytes) : size_t(c.decode(bytes)); };
      call();
      long n = 1;
      double best = 1e9;
      // Grow the batch until it takes a tenth of the target, then take the best of several.
      while (true) {
        auto t0 = clock::now();
        for (long i = 0; i < n; i++) sink = sink + call();
        double t = std::chrono::duration<double>(clock::now() - t0).count();
        if (t > target / 10 || n > (1L << 26)) { best = t / n; break; }
        n *= 2;
      }
      for (int r = 0; r < 5; r++) {
        auto t0 = clock::now();
        for (long i = 0; i < n; i++) sink = sink + call();
        double t = std::chrono::duration<double>(clock::now() - t0).count() / n;
        if (t < best) best = t;
      }
      std::printf("%s\t%s\t%.6e\n", c.name, op == 0 ? "encode" : "decode", best);
    }
  }
  return 0;
}
