// std::fstream and stdio on a mount vs /dev/shm.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class Streams : public InterceptTest {};

TEST_F(Streams, FstreamRoundTrips) {
  differential([](const P& r, Trace& tr) {
    P f = r + "/f.txt";
    {
      std::ofstream out(f);
      CALL(tr, out.is_open() ? 1 : 0);
      out << "line one\n" << 42 << ' ' << 3.5 << '\n';
      for (int i = 0; i < 2000; ++i) out << i << ',';  // past the buffer
      out << '\n';
    }
    {
      std::ifstream in(f);
      std::string a, b;
      int n = 0;
      double d = 0;
      std::getline(in, a);
      in >> n >> d;
      tr.note(a + "|" + std::to_string(n) + "|" + std::to_string(d));
      in.seekg(0, std::ios::end);
      CALL(tr, static_cast<long>(in.tellg()));
      in.seekg(5);
      in >> b;
      tr.note(b);
      CALL(tr, static_cast<long>(in.rdbuf()->in_avail()));
    }
    {
      std::ofstream app(f, std::ios::app);
      app << "appended";
    }
    {
      std::fstream io(f, std::ios::in | std::ios::out);
      io.seekp(0);
      io << "LINE";
      io.seekg(-8, std::ios::end);
      std::string s;
      io >> s;
      tr.note(s);
    }
    {
      std::ofstream bin(r + "/b.bin", std::ios::binary | std::ios::trunc);
      std::string blob(70000, '\0');
      for (std::size_t i = 0; i < blob.size(); ++i)
        blob[i] = static_cast<char>(i * 7);
      bin.write(blob.data(), static_cast<std::streamsize>(blob.size()));
    }
    {
      std::ifstream bin(r + "/b.bin", std::ios::binary);
      std::stringstream ss;
      ss << bin.rdbuf();
      CALL(tr, static_cast<long>(ss.str().size()));
      CALL(tr, static_cast<int>(static_cast<unsigned char>(ss.str()[69999])));
    }
    std::ifstream missing(r + "/missing");
    CALL(tr, missing.is_open() ? 1 : 0);
    std::ofstream in_missing_dir(r + "/no/such");
    CALL(tr, in_missing_dir.is_open() ? 1 : 0);
  });
}

TEST_F(Streams, StdioCalls) {
  differential([](const P& r, Trace& tr) {
    P f = r + "/s.txt";
    FILE* fp = tr.rec_ptr("fopen w", fopen(f.c_str(), "w"));
    CALL(tr, fprintf(fp, "%d-%s\n", 7, "seven"));
    CALL(tr, fputs("second\n", fp));
    CALL(tr, static_cast<long>(fwrite("abc", 1, 3, fp)));
    CALL(tr, ftell(fp));
    CALL(tr, fileno(fp) >= 0 ? 1 : 0);
    CALL(tr, fflush(fp));
    CALL(tr, fclose(fp));
    fp = tr.rec_ptr("fopen r", fopen(f.c_str(), "r"));
    char line[64] = {};
    tr.note(fgets(line, sizeof line, fp) ? line : "null");
    CALL(tr, fseek(fp, -3, SEEK_END));
    char buf[8] = {};
    CALL(tr, static_cast<long>(fread(buf, 1, sizeof buf, fp)));
    tr.note(buf);
    CALL(tr, feof(fp) ? 1 : 0);
    rewind(fp);
    CALL(tr, fgetc(fp));
    CALL(tr, fputc('x', fp));  // read-only stream: EOF
    CALL(tr, fclose(fp));
    fp = tr.rec_ptr("fopen64 a+", fopen64(f.c_str(), "a+"));
    CALL(tr, fputs("tail", fp));
    CALL(tr, fseek(fp, 0, SEEK_SET));
    CALL(tr, fgetc(fp));
    CALL(tr, fclose(fp));
    tr.rec_ptr("fopen wx existing", fopen(f.c_str(), "wx"));
    tr.rec_ptr("fopen r missing", fopen((r + "/nope").c_str(), "r"));
    tr.rec_ptr("fopen bad mode", fopen(f.c_str(), "q"));
    int fd = CALL(tr, open(f.c_str(), O_RDWR));
    fp = tr.rec_ptr("fdopen", fdopen(fd, "r+"));
    CALL(tr, fileno(fp) == fd ? 1 : 0);
    CALL(tr, fgetc(fp));
    CALL(tr, fclose(fp));
    CALL(tr, close(fd));  // EBADF: fclose closed it
    fp = tr.rec_ptr("fopen re", fopen(f.c_str(), "re"));
    CALL(tr, fcntl(fileno(fp), F_GETFD));
    CALL(tr, fclose(fp));
  });
}

TEST_F(Streams, OfstreamDataIsInTheFileSystem) {
  { std::ofstream(mount_dir_ + "/dir-less.txt") << "in memory"; }
  EXPECT_EQ(fs_.read_file("/dir-less.txt"), "in memory");
  fs_.write_file("/from-fs.txt", "written by memfs");
  std::ifstream in(mount_dir_ + "/from-fs.txt");
  std::string s((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(s, "written by memfs");
  EXPECT_EQ(fs_.stats().open_handles, 1u);
  in.close();
  EXPECT_EQ(fs_.stats().open_handles, 0u);
}

}  // namespace
}  // namespace memfs_test
