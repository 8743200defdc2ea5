#include "ui/timeline.h"

namespace shmviz::ui {
namespace {
constexpr std::size_t kMaxEntries = 500; // unchanged snapshots are shared, so most cost a pointer
}

void Timeline::add(const core::StepReply& reply) {
    if (!reply.snapshot)
        return;
    std::string text = reply.ok || !reply.error ? reply.explain : reply.error->message;
    m_entries.push_back({reply.number, reply.cmd, std::move(text), reply.snapshot});
    if (m_entries.size() > kMaxEntries) {
        m_entries.erase(m_entries.begin());
        if (m_viewing)
            m_viewing = *m_viewing > 0 ? *m_viewing - 1 : 0;
        m_compareFrom.reset();
    }
}

void Timeline::clear() {
    m_entries.clear();
    m_viewing.reset();
    m_compareFrom.reset();
}

bool Timeline::back() {
    m_compareFrom.reset();
    if (m_entries.size() < 2)
        return false;
    const std::size_t at = m_viewing.value_or(m_entries.size() - 1);
    if (at == 0)
        return false;
    m_viewing = at - 1;
    return true;
}

bool Timeline::forward() {
    m_compareFrom.reset();
    if (!m_viewing)
        return false;
    if (*m_viewing + 2 >= m_entries.size())
        m_viewing.reset();
    else
        m_viewing = *m_viewing + 1;
    return true;
}

void Timeline::view(std::size_t i) {
    m_compareFrom.reset();
    if (i + 1 >= m_entries.size())
        m_viewing.reset();
    else
        m_viewing = i;
}

void Timeline::compare(std::size_t from, std::size_t to) {
    if (to >= m_entries.size())
        return;
    m_viewing = to; // even the newest step: a comparison is drawn as a view
    m_compareFrom.reset();
    if (from < m_entries.size() && from != to)
        m_compareFrom = from;
}

} // namespace shmviz::ui
