import Foundation
import Testing
@testable import Jinja

/// Hitting the recursion limit on a thread with a small (512 KiB) stack ends in an error, not a
/// stack overflow: the limits are sized for worker threads, not only the main thread.
@Test func recursionLimitFitsInASmallThreadStack() throws {
    let box = ResultBox(count: 1)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let env = Environment()
        do {
            _ = try env.render("""
            {% macro f(n) %}{% for i in [n] %}{% if i >= 0 %}{% call g(i) %}{{ f(n + 1) | trim ~ caller() }}{% endcall %}{% endif %}{% endfor %}{% endmacro %}
            {% macro g(x) %}{{ caller() }}{% endmacro %}{{ f(0) }}
            """)
            box.set(0, "no error")
        } catch let e as JinjaError {
            box.set(0, e.kind.rawValue)
        } catch {
            box.set(0, "\(error)")
        }
        done.signal()
    }
    thread.stackSize = 512 * 1024
    thread.start()
    done.wait()
    #expect(box.all { $0 == "recursionLimit" })
}

@Test func deepParsesFitInASmallThreadStack() throws {
    let box = ResultBox(count: 1)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        let env = Environment()
        let source = "{{ " + String(repeating: "(", count: 3000) + "1" + String(repeating: ")", count: 3000) + " }}"
            + String(repeating: "{% if 1 %}", count: 3000)
        do {
            _ = try env.render(source)
            box.set(0, "no error")
        } catch let e as JinjaError {
            box.set(0, e.kind.rawValue)
        } catch {
            box.set(0, "\(error)")
        }
        done.signal()
    }
    thread.stackSize = 512 * 1024
    thread.start()
    done.wait()
    #expect(box.all { $0 == "syntax" })
}
