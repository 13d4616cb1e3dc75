namespace LambdaCluster.Tests.EndToEnd;

/// <summary>Function code used by the end-to-end tests; the tutorial's code is copied from the getting-started guide.</summary>
public static class Functions
{
    public const string Role = "arn:aws:iam::000000000000:role/lambda-role";

    public const string TutorialPython = """
        import json
        import logging

        logger = logging.getLogger()
        logger.setLevel(logging.INFO)

        def lambda_handler(event, context):

            # Get the length and width parameters from the event object. The
            # runtime converts the event object to a Python dictionary
            length = event['length']
            width = event['width']

            area = calculate_area(length, width)
            print(f"The area is {area}")

            logger.info(f"CloudWatch logs group: {context.log_group_name}")

            # return the calculated area as a JSON string
            data = {"area": area}
            return json.dumps(data)

        def calculate_area(length, width):
            return length*width
        """;

    public const string TutorialNode = """
        export const handler = async (event, context) => {

            const length = event.length;
            const width = event.width;
            let area = calculateArea(length, width);
            console.log(`The area is ${area}`);

            console.log('CloudWatch log group: ', context.logGroupName);

            let data = {
                "area": area,
            };
            return JSON.stringify(data);

            function calculateArea(length, width) {
                return length * width;
            }
        };
        """;
}
