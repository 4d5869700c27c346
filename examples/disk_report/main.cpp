// disk_report: writes a usage report of one folder into another.
//
//     disk_report <folder-to-scan> <report-folder> [keep]
//
// Both folders are opened as memfs::DiskFileSystem, so the report code
// (usage_report.*) is the same code the tests run on a MemoryFileSystem.
#include <ctime>
#include <filesystem>
#include <iostream>
#include <string>

#include "memfs/disk_file_system.hpp"
#include "usage_report.hpp"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: disk_report <folder-to-scan> <report-folder> [keep]\n";
    return 2;
  }
  try {
    std::filesystem::create_directories(argv[2]);
    memfs::DiskFileSystem scanned(argv[1]);
    memfs::DiskFileSystem reports(argv[2]);
    const example::UsageReport report = example::summarize(scanned, "/");
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    const std::string name = std::string(stamp) + ".txt";
    const std::size_t keep = argc == 4 ? std::stoul(argv[3]) : 3;
    const std::string text =
        example::format_report(report, scanned.root().string());
    if (const std::error_code ec =
            example::publish(reports, "/", name, text, keep)) {
      std::cerr << "disk_report: cannot publish the report: " << ec.message()
                << "\n";
      return 1;
    }
    std::cout << text << "written to " << (reports.root() / name).string()
              << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "disk_report: " << e.what() << "\n";
    return 1;
  }
}
