/** A slaughterhouse batch in the meat-and-vegetable system's shape (GBK CSV, Chinese headers), and a test feed for it. */
import iconv from 'iconv-lite';

export const SLAUGHTER_HEADER = '屠宰企业统一社会信用代码,屠宰企业名称,屠宰线编号,屠宰时间,检疫证号,检疫结果,养殖场编码,来源批次号,头数,产品名称,产品条码,批次号,胴体重量(千克),产地行政区划代码,保质期(天)';

/** One row: a lot of pigs slaughtered at a Kunshan plant; the operator's credit code and the time can be varied. */
export const slaughterRow = (lot: string, uscc = '91320583MA1MX8T21K', time = '2024-03-15 05:40:00'): string =>
  `${uscc},"昆山市示例肉类加工有限公司",line-01,${time},3205832240315000113,合格,320585-ZC001,LH240301,86,"白条猪肉（二分体）",06937528100018,${lot},7482.5,320585,4`;

/** A whole batch file in GBK, CRLF line ends. */
export const slaughterCsv = (...rows: string[]): Uint8Array => iconv.encode([SLAUGHTER_HEADER, ...rows].join('\r\n'), 'gbk');

/** The manifest of an HTTP push feed of such batches through `mapping`. */
export const slaughterManifest = (mapping: string) => ({
  id: 'test-slaughter', version: '1.0.0', status: 'experimental', department: 'commerce', direction: 'inbound',
  summary: '测试用屠宰场批量文件 / A test slaughterhouse batch feed',
  inbound: {
    transport: { kind: 'http-push' },
    format: { kind: 'csv', encoding: 'GBK' },
    messages: [{ type: 'slaughter', mapping, standard: 'profile.meat-poultry@^1', sources: { '/sy:operator': '屠宰企业统一社会信用代码' } }],
  },
});
