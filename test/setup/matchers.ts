// Custom matchers available in every test file: aws-sdk-client-mock's `toHaveReceivedCommandWith` & co.
import 'aws-sdk-client-mock-vitest/extend';
