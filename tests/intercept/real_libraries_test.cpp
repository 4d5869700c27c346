// Real libraries, unmodified (Debian's libz.so and libsqlite3.so), on a
// mount: their file calls reach the wrappers through the dynamic linker like
// libstdc++'s do.
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>
#include <zlib.h>

#include <string>

#include "intercept/support.hpp"

namespace memfs_test {
namespace {

class RealLibraries : public InterceptTest {};

TEST_F(RealLibraries, ZlibWritesAndReadsAGzipFile) {
  differential([](const P& r, Trace& tr) {
    const P f = r + "/data.gz";
    gzFile out = gzopen(f.c_str(), "wb9");
    tr.rec_ptr("gzopen wb", static_cast<void*>(out));
    for (int i = 0; i < 5000; ++i)
      CALL(tr, gzprintf(out, "line %d of the gzip test\n", i) > 0 ? 1 : 0);
    CALL(tr, gzclose(out));
    gzFile in = gzopen(f.c_str(), "rb");
    tr.rec_ptr("gzopen rb", static_cast<void*>(in));
    std::string text;
    char buf[4096];
    int n = 0;
    while ((n = gzread(in, buf, sizeof buf)) > 0)
      text.append(buf, static_cast<std::size_t>(n));
    CALL(tr, n);
    CALL(tr, static_cast<long>(text.size()));
    tr.note(text.substr(text.size() - 30));
    CALL(tr, gzseek(in, 12, SEEK_SET) >= 0 ? 1 : 0);
    char line[32] = {};
    tr.note(gzgets(in, line, sizeof line) ? line : "null");
    CALL(tr, gzclose(in));
    tr.rec_ptr("gzopen missing",
               static_cast<void*>(gzopen((r + "/none.gz").c_str(), "rb")));
  });
}

// A connection on a database file, closed at the end of the scope.
class Db {
 public:
  explicit Db(const P& path) { rc_ = sqlite3_open(path.c_str(), &db_); }
  ~Db() { sqlite3_close(db_); }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  [[nodiscard]] int open_rc() const { return rc_; }
  /// Runs `sql`; the SQLite result code (the error text is in message()).
  int exec(const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    message_ = err ? err : "";
    sqlite3_free(err);
    return rc;
  }
  /// The first column of the first row of `sql` as text ("" for none),
  /// or "error N: ..." when it fails.
  std::string value(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr);
    std::string out;
    if (rc == SQLITE_OK) rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(st, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    } else if (rc != SQLITE_DONE) {
      out = "error " + std::to_string(rc) + ": " + sqlite3_errmsg(db_);
    }
    sqlite3_finalize(st);
    return out;
  }
  [[nodiscard]] const std::string& message() const { return message_; }

 private:
  sqlite3* db_ = nullptr;
  int rc_ = SQLITE_OK;
  std::string message_;
};

// Creates the table and inserts 10,000 rows in 10 transactions.
void fill(Db& db) {
  ASSERT_EQ(db.exec("CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT)"),
            SQLITE_OK)
      << db.message();
  for (int batch = 0; batch < 10; ++batch) {
    ASSERT_EQ(db.exec("BEGIN"), SQLITE_OK) << db.message();
    for (int i = 0; i < 1000; ++i) {
      const int id = batch * 1000 + i;
      ASSERT_EQ(
          db.exec("INSERT INTO t(v) VALUES('row " + std::to_string(id) + "')"),
          SQLITE_OK)
          << db.message();
    }
    ASSERT_EQ(db.exec("COMMIT"), SQLITE_OK) << db.message();
  }
}

// What a reopened database holds; `setup` runs first.
std::string summary(const P& path, const std::string& setup = "") {
  Db db(path);
  if (!setup.empty() && db.exec(setup) != SQLITE_OK) return db.message();
  return db.value("PRAGMA integrity_check") + " " +
         db.value("SELECT count(*) FROM t") + " " +
         db.value("SELECT sum(length(v)) FROM t") + " " +
         db.value("SELECT v FROM t WHERE id = 7777");
}

TEST_F(RealLibraries, SqliteWithARollbackJournal) {
  for (const P& root : {mount_dir_, real_dir_}) {
    Db db(root + "/db");
    ASSERT_EQ(db.open_rc(), SQLITE_OK);
    EXPECT_EQ(db.value("PRAGMA journal_mode"), "delete");
    fill(db);
  }
  EXPECT_EQ(summary(mount_dir_ + "/db"), summary(real_dir_ + "/db"));
  EXPECT_EQ(summary(mount_dir_ + "/db"), "ok 10000 78890 row 7776");
  EXPECT_TRUE(fs_.is_regular_file("/db"));
  EXPECT_FALSE(fs_.exists("/db-journal"));  // deleted at each commit
  expect_same("trees", tree_of(mount_dir_), tree_of(real_dir_));
}

TEST_F(RealLibraries, SqliteInWalModeWithAnExclusiveLock) {
  // WAL's index is a writable shared mapping of "-shm", which a mount
  // refuses (ENODEV); with locking_mode=EXCLUSIVE SQLite keeps the index in
  // its own memory instead.
  for (const P& root : {mount_dir_, real_dir_}) {
    Db db(root + "/db");
    ASSERT_EQ(db.exec("PRAGMA locking_mode=EXCLUSIVE"), SQLITE_OK);
    EXPECT_EQ(db.value("PRAGMA journal_mode=WAL"), "wal");
    fill(db);
    if (root == mount_dir_) {
      EXPECT_TRUE(fs_.is_regular_file("/db-wal"));
      EXPECT_FALSE(fs_.exists("/db-shm"));
    }
  }
  EXPECT_FALSE(fs_.exists("/db-wal"));  // checkpointed and removed at close
  const std::string exclusive = "PRAGMA locking_mode=EXCLUSIVE";
  EXPECT_EQ(summary(mount_dir_ + "/db", exclusive),
            summary(real_dir_ + "/db", exclusive));
  EXPECT_EQ(summary(mount_dir_ + "/db", exclusive), "ok 10000 78890 row 7776");
  // Reopened without it, SQLite wants the shared mapping: a loud I/O error,
  // nothing read from or written to the real disk.
  Db plain(mount_dir_ + "/db");
  EXPECT_EQ(plain.exec("SELECT count(*) FROM t"), SQLITE_IOERR);
}

TEST_F(RealLibraries, SqliteFullOnQuotaLeavesAnIntactDatabase) {
  {
    Db db(mount_dir_ + "/db");
    fill(db);
  }
  fs_.set_quota(fs_.stats().used + 64 * 1024);
  int committed = 10000, rc = SQLITE_OK;
  {
    Db db(mount_dir_ + "/db");
    for (int batch = 0; batch < 1000 && rc == SQLITE_OK; ++batch) {
      ASSERT_EQ(db.exec("BEGIN"), SQLITE_OK) << db.message();
      for (int i = 0; i < 100 && rc == SQLITE_OK; ++i)
        rc =
            db.exec("INSERT INTO t(v) VALUES('" + std::string(200, 'x') + "')");
      if (rc == SQLITE_OK) rc = db.exec("COMMIT");
      if (rc == SQLITE_OK) committed += 100;
    }
    EXPECT_EQ(rc, SQLITE_FULL) << db.message();
    db.exec("ROLLBACK");
  }
  EXPECT_GT(committed, 10000);
  fs_.set_quota(256u << 20);
  Db db(mount_dir_ + "/db");
  EXPECT_EQ(db.value("PRAGMA integrity_check"), "ok");
  EXPECT_EQ(db.value("SELECT count(*) FROM t"), std::to_string(committed));
}

TEST_F(RealLibraries, SqliteBusyWhileAnotherOwnerHoldsTheLock) {
  {
    Db db(mount_dir_ + "/db");
    ASSERT_EQ(db.exec("CREATE TABLE t(v); INSERT INTO t VALUES(1)"), SQLITE_OK);
  }
  memfs::File other = fs_.open("/db", "r+");
  other.lock(memfs::LockMode::exclusive);
  {
    Db db(mount_dir_ + "/db");
    EXPECT_EQ(db.exec("SELECT * FROM t"), SQLITE_BUSY) << db.message();
    EXPECT_EQ(db.exec("INSERT INTO t VALUES(2)"), SQLITE_BUSY);
    other.unlock();
    EXPECT_EQ(db.exec("INSERT INTO t VALUES(2)"), SQLITE_OK) << db.message();
    EXPECT_EQ(db.value("SELECT sum(v) FROM t"), "3");
  }
}

}  // namespace
}  // namespace memfs_test
