// Internal: which live TestSession owns a FileSystem, so that a matcher that
// only sees the FileSystem (TreeEquals) can add what it found to the
// session's snapshot (record_tree_mismatch in tree_diff.hpp).
#pragma once

#include "memfs/json.hpp"
#include "memfs/tree_diff.hpp"

namespace memfs {

class FileSystem;
class TestSession;

namespace detail {

/// Maps `fs` to `session` until unregister_session(fs).
void register_session(const FileSystem* fs, TestSession* session);
void unregister_session(const FileSystem* fs);

/// Calls session->add_tree_diff(diff) if a live session owns `fs`, with the
/// registry locked (so the session cannot be destroyed meanwhile). Lock
/// order: the registry's mutex, then the session's diff mutex.
void add_tree_diff_to_owner(const FileSystem& fs, JsonValue diff);

/// A TreeDifference kind as the manifests spell it ("missing", ...).
const char* tree_difference_kind_name(TreeDifference::Kind kind);

}  // namespace detail
}  // namespace memfs
