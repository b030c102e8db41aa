import Liveness
import XCTest

final class ChallengeTests: XCTestCase {
    func testDrawsDistinctActionsFromThePoolInEveryOrder() {
        let pool: [LivenessAction] = [.blink, .openMouth, .turnLeft]
        var orders = Set<[LivenessAction]>()
        for _ in 0..<300 {
            let challenge = Challenge.draw(from: pool, count: 2)
            XCTAssertEqual(challenge.actions.count, 2)
            XCTAssertEqual(Set(challenge.actions).count, 2)
            XCTAssertTrue(challenge.actions.allSatisfy(pool.contains))
            orders.insert(challenge.actions)
        }
        XCTAssertEqual(orders.count, 6, "every ordered pair of the pool should come up")
        XCTAssertEqual(Challenge.draw(from: pool, count: 9).actions.count, 3, "never more than the pool")
    }
}
